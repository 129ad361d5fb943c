/**
 * The reads of a fetch: the customer count, one page of customers (by id, after a GraphQL
 * cursor) with the addresses of customers who have more than the page brings, and the page size
 * shrunk when the shop says a page costs too much.
 */
import type { SkipReason } from '@cm/contracts'
import { z } from 'zod'
import { SourceError } from '../connector.ts'
import { ShopifyCostError, type ShopifyClient } from './shopify.client.ts'
import { ADDRESSES_PAGE, ADDRESSES_PER_CUSTOMER, ADDRESSES_QUERY, addressesCost, COUNT_COST, COUNT_QUERY, CUSTOMERS_QUERY, pageCost, pageSizeFor } from './shopify.query.ts'
import { customerGid, gidNumber, ShopifyAddressNode, ShopifyCustomerNode, ShopifyNodeId } from './shopify.types.ts'

const PageInfo = z.object({ hasNextPage: z.boolean(), endCursor: z.string().nullable().optional() })
const Connection = z.object({ nodes: z.array(z.unknown()), pageInfo: PageInfo })
const Count = z.object({ count: z.number().int().nonnegative(), precision: z.string().optional() })

/** customersCount, or null when Shopify gives only a lower bound (precision AT_LEAST) */
export async function countCustomers(client: ShopifyClient): Promise<number | null> {
  const { data } = await client.query(COUNT_QUERY, {}, { cost: COUNT_COST, what: 'the customer count' })
  const c = Count.safeParse(data.customersCount)
  if (!c.success) throw client.transport.fail('SOURCE_BAD_RESPONSE', 'Shopify sent no customersCount')
  return c.data.precision === undefined || c.data.precision === 'EXACT' ? c.data.count : null
}

export interface ShopifyPageRead {
  /** customers of the page with every address, in id order */
  customers: Array<{ node: ShopifyCustomerNode; addresses: ShopifyAddressNode[] }>
  leftOut: Partial<Record<SkipReason, number>>
  /** nodes in the answer (customers + unreadable) */
  read: number
  lastId: number
  endCursor: string | null
  hasNextPage: boolean
  /** the page size that worked (smaller than asked when the shop found the page too dear) */
  first: number
}

/**
 * One page after `after`. `lastId` is the last customer id handed out: the page must hold only
 * higher ids, in ascending order (sortKey: ID), or the read stops rather than skip or repeat.
 */
export async function readCustomersPage(client: ShopifyClient, after: string | null, lastId: number, firstAsked: number): Promise<ShopifyPageRead> {
  let first = firstAsked
  // a bucket smaller than the page (a shop whose limits Shopify lowered) could never run it
  const max = client.bucket.status?.maximumAvailable
  if (max !== undefined && pageCost(first) > max) first = Math.min(first, pageSizeFor(max))
  for (;;) {
    try {
      const { data } = await client.query(CUSTOMERS_QUERY, { first, after, addresses: ADDRESSES_PER_CUSTOMER }, { cost: pageCost(first), what: 'the customers page' })
      return await pageOf(client, data, lastId, first)
    } catch (e) {
      if (!(e instanceof ShopifyCostError) || first <= 1) throw e
      // Shopify counts more per customer than we thought: what it charged per customer, scaled to what fits
      const perCustomer = Math.max(1, (e.cost - 2) / first)
      first = Math.max(1, Math.min(first - 1, Math.floor((e.maxCost - 2) / perCustomer)))
    }
  }
}

async function pageOf(client: ShopifyClient, data: Record<string, unknown>, lastId: number, first: number): Promise<ShopifyPageRead> {
  const fail = (code: ConstructorParameters<typeof SourceError>[0], msg: string) => client.transport.fail(code, msg)
  const conn = Connection.safeParse(data.customers)
  if (!conn.success) throw fail('SOURCE_BAD_RESPONSE', 'Shopify sent no customers connection')
  const { nodes, pageInfo } = conn.data
  const out: ShopifyPageRead = { customers: [], leftOut: {}, read: nodes.length, lastId, endCursor: pageInfo.endCursor ?? null, hasNextPage: pageInfo.hasNextPage, first }
  let previous = lastId
  for (const raw of nodes) {
    const id = ShopifyNodeId.safeParse(raw)
    const n = id.success ? Number(gidNumber(id.data.id, 'Customer') ?? Number.NaN) : Number.NaN
    const parsed = ShopifyCustomerNode.safeParse(raw)
    if (!Number.isSafeInteger(n) || !parsed.success) {
      out.leftOut.invalid_record = (out.leftOut.invalid_record ?? 0) + 1
      continue
    }
    // sortKey: ID and a cursor after the last one: anything else would skip or repeat customers
    if (n <= previous) throw fail('SOURCE_INCONSISTENT', `Shopify sent customer ${n} after ${previous} (not in id order after the cursor)`)
    previous = n
    out.customers.push({ node: parsed.data, addresses: await allAddresses(client, parsed.data) })
  }
  out.lastId = previous
  if (out.hasNextPage && !out.endCursor) throw fail('SOURCE_BAD_RESPONSE', 'Shopify said more customers follow but sent no endCursor')
  return out
}

/** the customer's addresses: the first ones came with the page, the rest (rare) one query per 250 */
async function allAddresses(client: ShopifyClient, node: ShopifyCustomerNode): Promise<ShopifyAddressNode[]> {
  const out = [...node.addressesV2.nodes]
  let { hasNextPage, endCursor } = node.addressesV2.pageInfo
  while (hasNextPage) {
    if (!endCursor) throw client.transport.fail('SOURCE_BAD_RESPONSE', `Shopify said customer ${node.id} has more addresses but sent no endCursor`)
    const { data } = await client.query(ADDRESSES_QUERY, { id: customerGid(node.id), first: ADDRESSES_PAGE, after: endCursor }, { cost: addressesCost(ADDRESSES_PAGE), what: `the addresses of customer ${node.id}` })
    // deleted meanwhile: what came with the page is all there is
    const customer = data.customer as { addressesV2?: unknown } | null | undefined
    if (!customer) break
    const conn = Connection.safeParse(customer.addressesV2)
    if (!conn.success) throw client.transport.fail('SOURCE_BAD_RESPONSE', `Shopify sent no addresses for customer ${node.id}`)
    for (const a of conn.data.nodes) {
      const parsed = ShopifyAddressNode.safeParse(a)
      if (parsed.success) out.push(parsed.data)
    }
    hasNextPage = conn.data.pageInfo.hasNextPage
    endCursor = conn.data.pageInfo.endCursor ?? null
  }
  return out
}
