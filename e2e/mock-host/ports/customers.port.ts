/**
 * The panel's customer base for the module: lookups, idempotent batch creation with the panel's
 * own last-line checks (login and e-mail unique, shops known, column sizes), set-password link.
 */
import type { CustomerErrorCode } from '@cm/contracts'
import { UniqueConstraintViolationException, type EntityManager } from '@mikro-orm/core'
import type { CreateCustomerResult, CustomersPort, NewPanelCustomer, PanelCustomerRef } from '@cm/backend'
import { PanelCustomerShop } from '../db/customer-shop.entity.ts'
import { CUSTOMER_LIMITS, PanelCustomer, type IPanelCustomer } from '../db/customer.entity.ts'
import { PanelDeliveryAddress } from '../db/delivery-address.entity.ts'
import { PanelShop } from '../db/shop.entity.ts'
import type { PanelDb } from '../orm.ts'
import { hashPassword } from '../passwords.ts'

// keeps `in (...)` lists well under every driver's parameter limit
const IN_CHUNK = 500
// a concurrent writer may take a login/e-mail between our check and our insert
const MAX_ATTEMPTS = 3

type RowError = { code: CustomerErrorCode; field?: string }

function toRef(c: IPanelCustomer): PanelCustomerRef {
  return { id: String(c.id), email: c.email, login: c.login, externalRef: c.externalRef ?? null }
}

function chunks<T>(xs: T[]): T[][] {
  const out: T[][] = []
  for (let i = 0; i < xs.length; i += IN_CHUNK) out.push(xs.slice(i, i + IN_CHUNK))
  return out
}

async function findIn(
  em: EntityManager,
  field: 'emailLower' | 'login' | 'externalRef',
  values: string[],
): Promise<IPanelCustomer[]> {
  const unique = [...new Set(values)]
  const found: IPanelCustomer[] = []
  for (const part of chunks(unique)) found.push(...(await em.find(PanelCustomer, { [field]: { $in: part } })))
  return found
}

const TOP_FIELDS = [
  'externalRef', 'login', 'email', 'firstName', 'lastName', 'company', 'vatNumber', 'phone',
  'birthDate', 'street', 'postcode', 'city', 'countryCode', 'language',
] as const
const ADDRESS_FIELDS = ['firstName', 'lastName', 'company', 'street', 'postcode', 'city', 'countryCode', 'phone'] as const

/** The panel's own refusals; the module validates first, these only catch what slips through. */
function panelChecks(c: NewPanelCustomer, shopIds: Set<string>, takenLogins: Set<string>, takenEmails: Set<string>): RowError[] {
  const errors: RowError[] = []
  if (!c.login) errors.push({ code: 'LOGIN_MISSING', field: 'login' })
  else if (takenLogins.has(c.login)) errors.push({ code: 'LOGIN_TAKEN', field: 'login' })
  if (!c.email) errors.push({ code: 'EMAIL_MISSING', field: 'email' })
  else if (takenEmails.has(c.email.toLowerCase())) errors.push({ code: 'EMAIL_TAKEN', field: 'email' })
  if (c.shopIds.length === 0 || c.shopIds.some((id) => !shopIds.has(id))) errors.push({ code: 'SHOP_INVALID', field: 'shopIds' })
  for (const f of TOP_FIELDS) {
    if (c[f].length > CUSTOMER_LIMITS[f]) errors.push({ code: 'FIELD_TOO_LONG', field: f })
  }
  c.deliveryAddresses.forEach((a, i) => {
    for (const f of ADDRESS_FIELDS) {
      if (a[f].length > CUSTOMER_LIMITS[f]) errors.push({ code: 'FIELD_TOO_LONG', field: `deliveryAddresses.${i}.${f}` })
    }
  })
  return errors
}

async function createBatch(em: EntityManager, batch: NewPanelCustomer[]): Promise<CreateCustomerResult[]> {
  const existing = new Map<string, IPanelCustomer>()
  for (const c of await findIn(em, 'externalRef', batch.map((c) => c.externalRef))) existing.set(c.externalRef!, c)

  const fresh = batch.filter((c) => !existing.has(c.externalRef))
  const takenLogins = new Set((await findIn(em, 'login', fresh.map((c) => c.login).filter(Boolean))).map((c) => c.login))
  const takenEmails = new Set(
    (await findIn(em, 'emailLower', fresh.map((c) => c.email.toLowerCase()).filter(Boolean))).map((c) => c.emailLower),
  )
  const shopIds = new Set((await em.find(PanelShop, {})).map((s) => s.id))

  // one entry per input, in input order; created customers get their id after the flush
  const slots: Array<{ ref: string; errors: RowError[] } | { ref: string; customer: IPanelCustomer }> = []
  for (const c of batch) {
    const known = existing.get(c.externalRef)
    if (known) {
      slots.push({ ref: c.externalRef, customer: known })
      continue
    }
    const errors = panelChecks(c, shopIds, takenLogins, takenEmails)
    if (errors.length > 0) {
      slots.push({ ref: c.externalRef, errors })
      continue
    }
    // shops and delivery addresses live in their own tables; every other field is a column
    const { shopIds: _shops, deliveryAddresses: _addresses, ...columns } = c
    const customer = em.create(PanelCustomer, { ...columns, emailLower: c.email.toLowerCase(), passwordHash: null })
    for (const shopId of new Set(c.shopIds)) em.create(PanelCustomerShop, { customer, shopId })
    for (const a of c.deliveryAddresses) em.create(PanelDeliveryAddress, { customer, ...a })
    // later rows of the same batch see this one as taken / as already created
    takenLogins.add(c.login)
    takenEmails.add(c.email.toLowerCase())
    existing.set(c.externalRef, customer)
    slots.push({ ref: c.externalRef, customer })
  }
  await em.flush()
  return slots.map((s) =>
    'customer' in s
      ? { externalRef: s.ref, ok: true as const, id: String(s.customer.id) }
      : { externalRef: s.ref, ok: false as const, errors: s.errors },
  )
}

/** `delayMs` (PANEL_CREATE_DELAY_MS, tests only): a slow panel that answers a batch this long after committing it. */
export function createCustomersPort(db: PanelDb, opts: { publicUrl: string; delayMs?: number }): CustomersPort {
  return {
    async findByEmails(emails) {
      const lower = emails.map((e) => e.toLowerCase()).filter(Boolean)
      return (await findIn(db.fork(), 'emailLower', lower)).map(toRef)
    },
    async findByLogins(logins) {
      return (await findIn(db.fork(), 'login', logins.filter(Boolean))).map(toRef)
    },
    async findByExternalRefs(refs) {
      return (await findIn(db.fork(), 'externalRef', refs.filter(Boolean))).map(toRef)
    },
    async createMany(customers) {
      if (customers.length === 0) return []
      for (let attempt = 1; ; attempt++) {
        try {
          const created = await db.fork().transactional((em) => createBatch(em, customers))
          if (opts.delayMs) await new Promise((r) => setTimeout(r, opts.delayMs))
          return created
        } catch (err) {
          // the whole batch rolled back; re-checking sees the other writer's rows
          if (err instanceof UniqueConstraintViolationException && attempt < MAX_ATTEMPTS) continue
          throw err
        }
      }
    },
    setPasswordUrl(shopId, token) {
      const q = new URLSearchParams({ shop: shopId, token })
      return `${opts.publicUrl}/konto/ustaw-haslo?${q.toString()}`
    },
    async setPassword(customerId, password) {
      if (!password) throw new Error('An empty password cannot be set')
      const em = db.fork()
      const customer = await em.findOne(PanelCustomer, { id: Number(customerId) })
      if (!customer) throw new Error(`No panel customer ${customerId}`)
      customer.passwordHash = await hashPassword(password)
      await em.flush()
    },
  }
}
