/** The panel's customer base, read-only, so QA can count what an import created. Keyset on id. */
import { ListQuery, type ListEnvelope } from '@cm/contracts'
import type { NewPanelCustomer } from '@cm/backend'
import type { FilterQuery } from '@mikro-orm/core'
import { Hono } from 'hono'
import { PanelCustomerShop } from '../db/customer-shop.entity.ts'
import { PanelCustomer, type IPanelCustomer } from '../db/customer.entity.ts'
import { PanelDeliveryAddress } from '../db/delivery-address.entity.ts'
import { PanelShop } from '../db/shop.entity.ts'
import type { PanelDb } from '../orm.ts'
import type { PanelAuth } from '../ports/auth.port.ts'
import { apiError, requireCaller, type HostEnv } from './http.ts'

/** A panel customer as QA reads it: the fields the module handed over, plus what the panel adds. */
export type PanelCustomerView = Omit<NewPanelCustomer, 'shopIds' | 'externalRef' | 'type'> & {
  id: string
  type: string
  externalRef: string | null
  hasPassword: boolean
  createdAt: string
  shops: Array<{ id: string; name: string }>
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

  const items = page.map(({ id, externalRef, passwordHash, createdAt, emailLower: _lower, ...columns }): PanelCustomerView => ({
    ...columns,
    id: String(id),
    externalRef: externalRef ?? null,
    hasPassword: passwordHash != null,
    createdAt: createdAt.toISOString(),
    shops: links
      .filter((l) => l.customer.id === id)
      .map((l) => ({ id: l.shopId, name: shopNames.get(l.shopId) ?? l.shopId })),
    deliveryAddresses: addresses
      .filter((a) => a.customer.id === id)
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
