/**
 * The reads the connector is made of: a customer count the Webservice does not offer, the
 * lookups (countries, languages, groups) and one page of customers joined to its addresses.
 */
import type { CanonicalCustomer, SkipReason } from '@cm/contracts'
import { SourceError } from '../connector.ts'
import { PrestaShopDeniedError, type PrestaShopClient, type PrestaShopResource } from './prestashop.client.ts'
import { buildPrestaShopLookups, deletedAddressCount, mapPrestaShopCustomer, type PrestaShopLookups } from './prestashop.mapper.ts'
import { PrestaShopAddress, PrestaShopCountry, PrestaShopCustomer, PrestaShopGroup, PrestaShopLanguage } from './prestashop.types.ts'

/** customers per page: one SQL LIMIT; the Webservice has no maximum, 100 keeps pages light */
export const PRESTASHOP_PAGE_SIZE = 100
/** customer ids per addresses request, so that URLs stay well under common limits (~1 KB encoded) */
export const ADDRESS_IDS_PER_REQUEST = 50

/**
 * The Webservice has no total. A row exists at offset n−1 iff there are ≥ n customers, so the
 * count is found by doubling n, then halving the gap: ~2·log2(count) requests of one id each.
 * `atLeastOne`: the caller already saw a customer.
 */
export async function countCustomers(client: PrestaShopClient, atLeastOne = false): Promise<number> {
  const exists = async (n: number) => (await client.list('customers', { display: '[id]', limit: `${n - 1},1` })).length > 0
  if (!atLeastOne && !(await exists(1))) return 0
  let lo = 1
  let hi = 2
  while (await exists(hi)) {
    lo = hi
    hi *= 2
  }
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2)
    if (await exists(mid)) lo = mid
    else hi = mid
  }
  return lo
}

/** Small tables, read whole. A key without GET on one of them still gets its customers, without names. */
export async function loadLookups(client: PrestaShopClient): Promise<PrestaShopLookups> {
  const optional = async (resource: PrestaShopResource, display: string) => {
    try {
      return await client.list(resource, { display })
    } catch (e) {
      if (e instanceof PrestaShopDeniedError) return []
      throw e
    }
  }
  const countries = await optional('countries', '[id,iso_code]')
  const languages = await optional('languages', '[id,iso_code]')
  const groups = await optional('groups', '[id,name]')
  return buildPrestaShopLookups(
    countries.flatMap((c) => PrestaShopCountry.safeParse(c).data ?? []),
    languages.flatMap((l) => PrestaShopLanguage.safeParse(l).data ?? []),
    groups.flatMap((g) => PrestaShopGroup.safeParse(g).data ?? []),
  )
}

/** The customers of one keyset page: `filter[id]=>[after]`, ascending ids. */
export function customersPageParams(after: number): Record<string, string> {
  return { display: 'full', sort: '[id_ASC]', 'filter[id]': `>[${after}]`, limit: String(PRESTASHOP_PAGE_SIZE) }
}

export interface ReadPage {
  customers: CanonicalCustomer[]
  /** accounts read: customers + guests, deleted and unreadable rows */
  read: number
  leftOut: Partial<Record<SkipReason, number>>
  /** the highest customer id of the page (`after` when it had none) */
  lastId: number
}

/**
 * Maps one page of raw customer rows, reading the addresses of those that are moved. Rows
 * must come in ascending ids above `after`: a shop that ignored the filter or the sort would
 * otherwise make the read skip or repeat customers, so that stops the read instead.
 */
export async function readCustomersPage(client: PrestaShopClient, rows: readonly unknown[], after: number, lookups: PrestaShopLookups): Promise<ReadPage> {
  const leftOut: Partial<Record<SkipReason, number>> = {}
  const count = (reason: SkipReason, n = 1) => {
    if (n > 0) leftOut[reason] = (leftOut[reason] ?? 0) + n
  }
  const parsed: PrestaShopCustomer[] = []
  let lastId = after
  for (const row of rows) {
    const c = PrestaShopCustomer.safeParse(row)
    if (!c.success) {
      count('invalid_record')
      continue
    }
    const id = Number(c.data.id)
    if (id <= lastId) {
      throw new SourceError('SOURCE_INCONSISTENT', `customers came out of order (id ${id} after ${lastId}): the shop ignored the id filter or the sort`)
    }
    lastId = id
    parsed.push(c.data)
  }
  const moved = parsed.filter((c) => !c.is_guest && !c.deleted).map((c) => c.id)
  const addresses: PrestaShopAddress[] = []
  for (let i = 0; i < moved.length; i += ADDRESS_IDS_PER_REQUEST) {
    const ids = moved.slice(i, i + ADDRESS_IDS_PER_REQUEST)
    const got = await client.list('addresses', { display: 'full', 'filter[id_customer]': `[${ids.join('|')}]` })
    for (const a of got) {
      const p = PrestaShopAddress.safeParse(a)
      if (p.success) addresses.push(p.data)
    }
  }
  const customers: CanonicalCustomer[] = []
  for (const c of parsed) {
    const result = mapPrestaShopCustomer(c, addresses, lookups)
    if (result.kind === 'left_out') {
      count(result.reason)
      continue
    }
    customers.push(result.customer)
    count('deleted_address', deletedAddressCount(c.id, addresses))
  }
  return { customers, read: rows.length, leftOut, lastId }
}
