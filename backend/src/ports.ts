/**
 * What the host hands the module. Every port is small; the mock host in e2e/mock-host
 * implements each one for real, and a real panel maps them onto its own services.
 */
import type { Shop, CustomerErrorCode } from '@cm/contracts'
import type { PanelCustomerDraft } from '@cm/contracts/rules'

export interface ShopsPort {
  list(): Promise<Shop[]>
}

/** A panel customer as the module asks the host to create it (shared with the UI's rules). */
export type NewPanelCustomer = PanelCustomerDraft

export interface PanelCustomerRef {
  id: string
  email: string
  login: string
  /** set when this module created the customer */
  externalRef: string | null
}

export type CreateCustomerResult =
  | { externalRef: string; ok: true; id: string }
  | { externalRef: string; ok: false; errors: Array<{ code: CustomerErrorCode; field?: string }> }

export interface CustomersPort {
  /** case-insensitive e-mail lookup */
  findByEmails(emails: string[]): Promise<PanelCustomerRef[]>
  findByLogins(logins: string[]): Promise<PanelCustomerRef[]>
  findByExternalRefs(refs: string[]): Promise<PanelCustomerRef[]>
  /**
   * Creates the batch; a customer whose externalRef exists already is answered with that
   * customer's id, not created again. The host may still refuse one (its own rules).
   */
  createMany(customers: NewPanelCustomer[]): Promise<CreateCustomerResult[]>
  /** Where the customer sets a password with a one-time token of this module. */
  setPasswordUrl(shopId: string, token: string): string
  /** Called when the customer redeems a token: the host stores the new password. */
  setPassword(customerId: string, password: string): Promise<void>
}

export interface OutgoingMail {
  shopId: string
  templateId: string
  to: string
  subject: string
  text: string
}
export interface MailPort {
  /** resolves only once the mail went out; rejects with the reason otherwise */
  send(mail: OutgoingMail): Promise<{ messageId: string }>
}

export interface StoredTemplate {
  subject: string
  body: string
  updatedAt: string
}
export interface TemplatesPort {
  get(shopId: string, templateId: string): Promise<StoredTemplate | null>
  put(shopId: string, templateId: string, t: { subject: string; body: string }): Promise<StoredTemplate>
}

export interface Caller {
  adminId: string
  login: string
  permissions: string[]
  locale?: 'pl' | 'en'
}
export interface AuthPort {
  /** who calls, from the request's session; null when nobody is signed in */
  identify(req: Request): Promise<Caller | null>
}

export interface SecretsPort {
  /** the key new secrets are sealed with (32 bytes) and older ones still readable */
  credentialKeys(): { currentId: string; keys: Record<string, Uint8Array> }
}

export interface StoragePort {
  /** a folder the module owns for its XML files */
  dir: string
}

export interface ClockPort {
  now(): Date
}

export interface ModuleSettings {
  /** loopback/private source addresses allowed (development and the mock host only) */
  allowPrivateSources: boolean
  /** plain http allowed for source shops (development only) */
  allowHttpSources: boolean
  /** upload size limit in bytes */
  maxUploadBytes: number
  /** set-password link lifetime */
  passwordLinkTtlHours: number
  /**
   * source HTTP tuning; tests shorten these. maxConsecutiveFailures is the circuit breaker: after
   * that many failed requests in a row the fetch stops with SOURCE_UNAVAILABLE (default 8)
   */
  source: { requestTimeoutMs: number; retries: number; minRetryDelayMs: number; maxRetryDelayMs: number; maxConsecutiveFailures?: number }
  /** stable per host process across restarts, so a restarted process takes its own leases back at once */
  instanceId?: string
  /** a message written to the host's log (never credentials) */
  log: (level: 'info' | 'warn' | 'error', msg: string, data?: Record<string, unknown>) => void
}

export interface ModulePorts {
  shops: ShopsPort
  customers: CustomersPort
  mail: MailPort
  templates: TemplatesPort
  auth: AuthPort
  secrets: SecretsPort
  storage: StoragePort
  clock?: ClockPort
  settings?: Partial<ModuleSettings>
}
