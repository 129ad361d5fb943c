/**
 * The panel's customer base for the module: lookups, idempotent batch creation with the panel's
 * own last-line checks (login and e-mail unique, shops known, column sizes), set-password link.
 */
import type { CustomerErrorCode } from '@cm/contracts'
import { UniqueConstraintViolationException, type EntityManager } from '@mikro-orm/core'
// both drivers re-export knex's query-builder EntityManager
import type { EntityManager as SqlEntityManager } from '@mikro-orm/better-sqlite'
import type { CreateCustomerResult, CustomersPort, NewPanelCustomer, PanelCustomerRef } from '@cm/backend'
import { PanelCustomerShop } from '../db/customer-shop.entity.ts'
import { CUSTOMER_LIMITS, PanelCustomer } from '../db/customer.entity.ts'
import { PanelDeliveryAddress } from '../db/delivery-address.entity.ts'
import { PanelShop } from '../db/shop.entity.ts'
import type { PanelDb } from '../orm.ts'
import { hashPassword } from '../passwords.ts'

// keeps `in (...)` lists well under every driver's parameter limit
const IN_CHUNK = 500
// a concurrent writer may take a login/e-mail between our check and our insert
const MAX_ATTEMPTS = 3

type RowError = { code: CustomerErrorCode; field?: string }

function toRef(c: CustomerKeys): PanelCustomerRef {
  return { id: String(c.id), email: c.email, login: c.login, externalRef: c.externalRef ?? null }
}

function chunks<T>(xs: T[]): T[][] {
  const out: T[][] = []
  for (let i = 0; i < xs.length; i += IN_CHUNK) out.push(xs.slice(i, i + IN_CHUNK))
  return out
}

/** what lookups need of a panel customer (plain rows: hydrating whole entities costs more than the query) */
interface CustomerKeys {
  id: number
  email: string
  emailLower: string
  login: string
  externalRef: string | null
}

async function findIn(
  em: EntityManager,
  field: 'emailLower' | 'login' | 'externalRef',
  values: string[],
): Promise<CustomerKeys[]> {
  const unique = [...new Set(values)]
  const found: CustomerKeys[] = []
  for (const part of chunks(unique)) {
    const rows: CustomerKeys[] = await (em as SqlEntityManager)
      .createQueryBuilder(PanelCustomer)
      .select(['id', 'email', 'emailLower', 'login', 'externalRef'])
      .where({ [field]: { $in: part } })
      .execute('all')
    found.push(...rows)
  }
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
  const existing = new Map<string, CustomerKeys>()
  for (const c of await findIn(em, 'externalRef', batch.map((c) => c.externalRef))) existing.set(c.externalRef!, c)

  const unknown = batch.filter((c) => !existing.has(c.externalRef))
  const takenLogins = new Set((await findIn(em, 'login', unknown.map((c) => c.login).filter(Boolean))).map((c) => c.login))
  const takenEmails = new Set(
    (await findIn(em, 'emailLower', unknown.map((c) => c.email.toLowerCase()).filter(Boolean))).map((c) => c.emailLower),
  )
  const shopIds = new Set((await em.find(PanelShop, {})).map((s) => s.id))

  // one entry per input, in input order; created customers get their id from the bulk insert
  const slots: Array<{ ref: string; errors: RowError[] } | { ref: string; id: string } | { ref: string; fresh?: NewPanelCustomer }> = []
  const inBatch = new Set<string>()
  for (const c of batch) {
    const known = existing.get(c.externalRef)
    if (known) {
      slots.push({ ref: c.externalRef, id: String(known.id) })
      continue
    }
    // the same customer twice in one batch is created once and answered twice
    if (inBatch.has(c.externalRef)) {
      slots.push({ ref: c.externalRef })
      continue
    }
    const errors = panelChecks(c, shopIds, takenLogins, takenEmails)
    if (errors.length > 0) {
      slots.push({ ref: c.externalRef, errors })
      continue
    }
    // later rows of the same batch see this one as taken / as already created
    takenLogins.add(c.login)
    takenEmails.add(c.email.toLowerCase())
    inBatch.add(c.externalRef)
    slots.push({ ref: c.externalRef, fresh: c })
  }
  // bulk inserts (one statement per table): the panel takes a million customers in minutes, not hours
  const fresh = slots.flatMap((s) => ('fresh' in s && s.fresh ? [s.fresh] : []))
  // insertMany writes what it is given: onCreate hooks do not run
  const now = new Date()
  if (fresh.length) {
    await em.insertMany(
      PanelCustomer,
      // shops and delivery addresses live in their own tables; every other field is a column
      fresh.map(({ shopIds: _shops, deliveryAddresses: _addresses, ...columns }) => ({ ...columns, emailLower: columns.email.toLowerCase(), passwordHash: null, createdAt: now })),
    )
  }
  // the new ids by externalRef (unique): a multi-row insert's returned ids are not reliable on every driver
  const idOf = new Map((await findIn(em, 'externalRef', fresh.map((c) => c.externalRef))).map((r) => [r.externalRef!, r.id]))
  const links = fresh.flatMap((c) => [...new Set(c.shopIds)].map((shopId) => ({ customer: idOf.get(c.externalRef)!, shopId })))
  const addresses = fresh.flatMap((c) => c.deliveryAddresses.map((a) => ({ customer: idOf.get(c.externalRef)!, ...a })))
  if (links.length) await em.insertMany(PanelCustomerShop, links)
  if (addresses.length) await em.insertMany(PanelDeliveryAddress, addresses)
  return slots.map((s) =>
    'errors' in s
      ? { externalRef: s.ref, ok: false as const, errors: s.errors }
      : { externalRef: s.ref, ok: true as const, id: 'id' in s ? s.id : String(idOf.get(s.ref)) },
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
