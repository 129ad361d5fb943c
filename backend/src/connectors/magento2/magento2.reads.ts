/**
 * The reads the connector is made of: the lookups (customer groups, store views' locales),
 * once per fetch, and one keyset page of customers.
 */
import type { CanonicalCustomer, SkipReason } from '@cm/contracts'
import { SourceError } from '../connector.ts'
import { MagentoDeniedError, type MagentoClient, type Params } from './magento2.client.ts'
import { buildMagentoLookups, mapMagentoCustomer, type MagentoLookups } from './magento2.mapper.ts'
import { MagentoCustomer, MagentoGroup, MagentoStoreConfig } from './magento2.types.ts'

/** customers per page: ≤ 300, the cap Magento applies when its optional input limits are on */
export const MAGENTO_PAGE_SIZE = 100
/** groups per request; a shop has a handful, a B2B one maybe hundreds */
const GROUP_PAGE_SIZE = 100
const MAX_GROUP_PAGES = 50

const sc = (k: string) => `searchCriteria${k}`

/**
 * One keyset page: entity_id > afterId, ascending, the first `pageSize`. `total_count` is then
 * the number of customers still to read, so the read stops on it and never asks past the end
 * (where Magento would serve its last page again).
 */
export function customersPageParams(afterId: number, pageSize = MAGENTO_PAGE_SIZE): Params {
  return [
    [sc('[filter_groups][0][filters][0][field]'), 'entity_id'],
    [sc('[filter_groups][0][filters][0][value]'), String(afterId)],
    [sc('[filter_groups][0][filters][0][condition_type]'), 'gt'],
    [sc('[sortOrders][0][field]'), 'entity_id'],
    [sc('[sortOrders][0][direction]'), 'ASC'],
    [sc('[pageSize]'), String(pageSize)],
    [sc('[currentPage]'), '1'],
  ]
}

/** the check's count: one customer, the answer's total_count is everyone */
export const countParams = (): Params => [
  [sc('[pageSize]'), '1'],
  [sc('[currentPage]'), '1'],
]

/** An integration without Customer Groups or Stores still gets its customers, without group names or languages. */
async function optional<T>(read: () => Promise<T[]>): Promise<T[]> {
  try {
    return await read()
  } catch (e) {
    if (e instanceof MagentoDeniedError || (e instanceof SourceError && e.code === 'SOURCE_NOT_A_SHOP')) return []
    throw e
  }
}

/** every group, page by page (the shop may cap pages when its input limits are on), stopping on total_count */
async function readGroups(client: MagentoClient): Promise<MagentoGroup[]> {
  const byId = new Map<number, MagentoGroup>()
  for (let page = 1; page <= MAX_GROUP_PAGES; page++) {
    const params: Params = [
      [sc('[sortOrders][0][field]'), 'id'],
      [sc('[sortOrders][0][direction]'), 'ASC'],
      [sc('[pageSize]'), String(GROUP_PAGE_SIZE)],
      [sc('[currentPage]'), String(page)],
    ]
    const answer = await client.search('/customerGroups/search', params, 'the customer groups')
    const before = byId.size
    for (const g of answer.items) {
      const p = MagentoGroup.safeParse(g)
      if (p.success) byId.set(p.data.id, p.data)
    }
    // done when all are in, or when a page brings nothing new (past the end: the last page again)
    if (byId.size >= answer.total_count || byId.size === before || answer.items.length === 0) break
  }
  return [...byId.values()]
}

export async function loadLookups(client: MagentoClient): Promise<MagentoLookups> {
  const groups = await optional(() => readGroups(client))
  const stores = await optional(async () => {
    const json = await client.get('/store/storeConfigs', [], 'the store views')
    return Array.isArray(json) ? json.flatMap((s) => MagentoStoreConfig.safeParse(s).data ?? []) : []
  })
  return buildMagentoLookups(groups, stores)
}

export interface ReadPage {
  customers: CanonicalCustomer[]
  /** accounts read: customers + unreadable rows */
  read: number
  leftOut: Partial<Record<SkipReason, number>>
  /** the highest entity_id of the page (`after` when it had none) */
  lastId: number
}

/**
 * Maps one page of raw customers. They must come in ascending ids above `after`: a shop (or an
 * extension) that ignored the filter or the sort would make the read repeat or skip customers,
 * so that stops the read instead.
 */
export function readCustomersPage(rows: readonly unknown[], after: number, lookups: MagentoLookups): ReadPage {
  const leftOut: Partial<Record<SkipReason, number>> = {}
  const customers: CanonicalCustomer[] = []
  let lastId = after
  for (const row of rows) {
    const c = MagentoCustomer.safeParse(row)
    if (!c.success) {
      leftOut.invalid_record = (leftOut.invalid_record ?? 0) + 1
      continue
    }
    if (c.data.id <= lastId) {
      throw new SourceError('SOURCE_INCONSISTENT', `customers came out of order (id ${c.data.id} after ${lastId}): the shop ignored the entity_id filter or the sort`)
    }
    lastId = c.data.id
    customers.push(mapMagentoCustomer(c.data, lookups))
  }
  return { customers, read: rows.length, leftOut, lastId }
}
