/** The panel's customer base, read-only, so QA can count what an import created. Keyset on id. */
import { ListQuery, type ListEnvelope } from '@cm/contracts'
import type { FilterQuery } from '@mikro-orm/core'
import { Hono } from 'hono'
import { PanelCustomerShop } from '../db/customer-shop.entity.ts'
import { PanelCustomer, type IPanelCustomer } from '../db/customer.entity.ts'
import { PanelDeliveryAddress } from '../db/delivery-address.entity.ts'
import { PanelShop } from '../db/shop.entity.ts'
import type { PanelDb } from '../orm.ts'
import type { PanelAuth } from '../ports/auth.port.ts'
import { apiError, requireCaller, type HostEnv } from './http.ts'

export interface PanelCustomerView {
  id: string
  login: string
  email: string
  externalRef: string | null
  type: string
  firstName: string
  lastName: string
  company: string
  vatNumber: string
  phone: string
  birthDate: string
  street: string
  postcode: string
  city: string
  countryCode: string
  language: string
  newsletterEmail: boolean
  newsletterSms: boolean
  hasPassword: boolean
  createdAt: string
  shops: Array<{ id: string; name: string }>
  deliveryAddresses: Array<{
    firstName: string
    lastName: string
    company: string
    street: string
    postcode: string
    city: string
    countryCode: string
    phone: string
  }>
}

export async function listPanelCustomers(
  db: PanelDb,
  query: { q?: string; cursor?: string; limit: number },
): Promise<ListEnvelope<PanelCustomerView>> {
  const em = db.fork()
  const where: FilterQuery<IPanelCustomer> = {}
  if (query.q) {
    // logins and emailLower are lower-case, so this matches case-insensitively on every driver
    const like = `%${query.q.toLowerCase().replace(/[%_\\]/g, '')}%`
    where.$or = [{ emailLower: { $like: like } }, { login: { $like: like } }, { externalRef: { $like: like } }]
  }
  const total = await em.count(PanelCustomer, where)
  const after = query.cursor ? Number(query.cursor) : 0
  const rows = await em.find(
    PanelCustomer,
    { $and: [where, { id: { $gt: Number.isFinite(after) ? after : 0 } }] },
    { orderBy: { id: 'asc' }, limit: query.limit + 1 },
  )
  const page = rows.slice(0, query.limit)
  const ids = page.map((c) => c.id)
  const shopNames = new Map((await em.find(PanelShop, {})).map((s) => [s.id, s.name]))
  const links = ids.length ? await em.find(PanelCustomerShop, { customer: { $in: ids } }, { orderBy: { shopId: 'asc' } }) : []
  const addresses = ids.length ? await em.find(PanelDeliveryAddress, { customer: { $in: ids } }, { orderBy: { id: 'asc' } }) : []

  const items = page.map((c): PanelCustomerView => ({
    id: String(c.id),
    login: c.login,
    email: c.email,
    externalRef: c.externalRef ?? null,
    type: c.type,
    firstName: c.firstName,
    lastName: c.lastName,
    company: c.company,
    vatNumber: c.vatNumber,
    phone: c.phone,
    birthDate: c.birthDate,
    street: c.street,
    postcode: c.postcode,
    city: c.city,
    countryCode: c.countryCode,
    language: c.language,
    newsletterEmail: c.newsletterEmail,
    newsletterSms: c.newsletterSms,
    hasPassword: c.passwordHash != null,
    createdAt: c.createdAt.toISOString(),
    shops: links
      .filter((l) => l.customer.id === c.id)
      .map((l) => ({ id: l.shopId, name: shopNames.get(l.shopId) ?? l.shopId })),
    deliveryAddresses: addresses
      .filter((a) => a.customer.id === c.id)
      .map(({ firstName, lastName, company, street, postcode, city, countryCode, phone }) => ({
        firstName, lastName, company, street, postcode, city, countryCode, phone,
      })),
  }))
  const last = page.at(-1)
  return { items, nextCursor: rows.length > query.limit && last ? String(last.id) : null, total }
}

export function customersRoutes(db: PanelDb, auth: PanelAuth) {
  return new Hono<HostEnv>().get('/api/customers', requireCaller(auth), async (c) => {
    const parsed = ListQuery.safeParse(c.req.query())
    if (!parsed.success || (parsed.data.cursor !== undefined && !/^\d+$/.test(parsed.data.cursor))) {
      return apiError(c, 400, 'VALIDATION_FAILED', undefined, parsed.success ? { cursor: 'not a cursor' } : parsed.error.issues)
    }
    return c.json(await listPanelCustomers(db, parsed.data))
  })
}
