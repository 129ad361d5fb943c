/** In-memory ports for the module's own tests (the mock host implements them on a database). */
import { PERMISSIONS, type Shop } from '@cm/contracts'
import { makeTempDir } from './temp-dir.ts'
import type { Caller, CreateCustomerResult, ModulePorts, NewPanelCustomer, OutgoingMail, PanelCustomerRef, StoredTemplate } from '../ports.ts'

export const TEST_SHOPS: Shop[] = [
  { id: '1', name: 'Sklep główny', language: 'pl', currency: 'PLN' },
  { id: '2', name: 'Outlet', language: 'pl', currency: 'PLN' },
]

export const TEST_USERS: Record<string, Caller> = {
  admin: { adminId: 'admin', login: 'admin', permissions: [PERMISSIONS.importCustomers, PERMISSIONS.manageTemplates] },
  operator: { adminId: 'operator', login: 'operator', permissions: [PERMISSIONS.importCustomers] },
  viewer: { adminId: 'viewer', login: 'viewer', permissions: [] },
}

export interface MemoryPanel {
  customers: Array<NewPanelCustomer & { id: string; password?: string }>
  mails: OutgoingMail[]
  failMailTo: Set<string>
}

export function createMemoryPorts(overrides: Partial<ModulePorts> = {}): { ports: ModulePorts; panel: MemoryPanel } {
  const panel: MemoryPanel = { customers: [], mails: [], failMailTo: new Set() }
  const templates = new Map<string, StoredTemplate>()
  const ref = (c: MemoryPanel['customers'][number]): PanelCustomerRef => ({ id: c.id, email: c.email, login: c.login, externalRef: c.externalRef || null })
  const ports: ModulePorts = {
    shops: { list: async () => TEST_SHOPS },
    customers: {
      findByEmails: async (emails) => {
        const set = new Set(emails.map((e) => e.toLowerCase()))
        return panel.customers.filter((c) => set.has(c.email.toLowerCase())).map(ref)
      },
      findByLogins: async (logins) => panel.customers.filter((c) => logins.includes(c.login)).map(ref),
      findByExternalRefs: async (refs) => panel.customers.filter((c) => c.externalRef && refs.includes(c.externalRef)).map(ref),
      createMany: async (list) =>
        list.map((n): CreateCustomerResult => {
          const same = panel.customers.find((c) => c.externalRef && c.externalRef === n.externalRef)
          if (same) return { externalRef: n.externalRef, ok: true, id: same.id }
          if (panel.customers.some((c) => c.login === n.login)) return { externalRef: n.externalRef, ok: false, errors: [{ code: 'LOGIN_TAKEN', field: 'login' }] }
          const id = String(panel.customers.length + 1000)
          panel.customers.push({ ...n, id })
          return { externalRef: n.externalRef, ok: true, id }
        }),
      setPasswordUrl: (shopId, token) => `http://panel.test/konto/ustaw-haslo?shop=${shopId}&token=${token}`,
      setPassword: async (id, pw) => {
        const c = panel.customers.find((x) => x.id === id)
        if (c) c.password = pw
      },
    },
    mail: {
      send: async (m) => {
        if (panel.failMailTo.has(m.to)) throw new Error('SMTP 550 mailbox unavailable')
        panel.mails.push(m)
        return { messageId: `m${panel.mails.length}` }
      },
    },
    templates: {
      get: async (shopId, id) => templates.get(`${shopId}/${id}`) ?? null,
      put: async (shopId, id, t) => {
        const stored = { ...t, updatedAt: new Date().toISOString() }
        templates.set(`${shopId}/${id}`, stored)
        return stored
      },
    },
    auth: { identify: async (req) => TEST_USERS[req.headers.get('x-test-user') ?? ''] ?? null },
    secrets: { credentialKeys: () => ({ currentId: 'k1', keys: { k1: new Uint8Array(32).fill(7) } }) },
    settings: {
      allowPrivateSources: true,
      allowHttpSources: true,
      source: { requestTimeoutMs: 2_000, retries: 2, minRetryDelayMs: 10, maxRetryDelayMs: 50 },
      // errors surface in the test output; the rest would only be noise
      log: (level, msg, data) => {
        if (level === 'error') console.error(`[customer-migration] ${msg}`, data)
      },
    },
    ...overrides,
    // a folder only when the caller gives none; startTestModule's close() removes it
    storage: overrides.storage ?? { dir: makeTempDir('cm-test-') },
  }
  return { ports, panel }
}
