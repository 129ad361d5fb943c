/**
 * The slice of the GraphQL Admin API schema (2026-10) the mock serves: QueryRoot.shop,
 * customers, customer and customersCount, the Customer object with its e-mail, phone and
 * addresses, MailingAddress and Count. Customers need the read_customers scope and approval for
 * protected customer data, answered with Shopify's ACCESS_DENIED errors when missing. Cursors
 * are opaque base64 JSON of the last row's sort value and id, as Shopify's are.
 */
import { findByKey, keyOrder, sliceBounds } from '../mock-kit/key-order.ts'
import type { ConnectionSource, FieldCtx, Schema } from './shopify.mock-exec.ts'
import { addressGid, customerGid, gidNumber, type ShopifyCustomerRecord, type ShopifyMailingAddressRecord } from './shopify.types.ts'

export interface MockShopData {
  name: string
  myshopifyDomain: string
  customers: ShopifyCustomerRecord[]
}

const SCOPE_DOCS = 'https://shopify.dev/api/usage/access-scopes'
const PCD_DOCS = 'https://shopify.dev/docs/apps/launch/protected-customer-data'

/** read_customers (or write_customers, which includes it), then protected customer data */
function customerAccess(field: string, f: FieldCtx): boolean {
  const { scopes, protectedData } = f.ctx
  if (!scopes.has('read_customers') && !scopes.has('write_customers')) {
    f.deny(`Access denied for ${field} field. Required access: \`read_customers\` access scope.`, { code: 'ACCESS_DENIED', documentation: SCOPE_DOCS, requiredAccess: '`read_customers` access scope.' })
    return false
  }
  if (!protectedData && field !== 'customersCount') {
    f.deny(`This app is not approved to access the Customer object. See ${PCD_DOCS} for more details.`, { code: 'ACCESS_DENIED', documentation: PCD_DOCS })
    return false
  }
  return true
}

export const encodeCursor = (lastId: number, lastValue: string | number) => Buffer.from(JSON.stringify({ last_id: lastId, last_value: lastValue }), 'utf8').toString('base64')

export function decodeCursor(cursor: string): { lastId: number; lastValue: string | number } | null {
  try {
    const raw = JSON.parse(Buffer.from(cursor, 'base64').toString('utf8')) as { last_id?: unknown; last_value?: unknown }
    if (typeof raw.last_id !== 'number' || (typeof raw.last_value !== 'number' && typeof raw.last_value !== 'string')) return null
    return { lastId: raw.last_id, lastValue: raw.last_value }
  } catch {
    return null
  }
}

type SortValue = string | number
const compareKeys = (va: SortValue, ia: number, vb: SortValue, ib: number) => (va < vb ? -1 : va > vb ? 1 : ia - ib)

/** a keyset over `items` by (value, id), sorted here: a cursor stays valid when rows before it disappear */
function keyset<T extends { id: number }>(items: readonly T[], valueOf: (item: T) => SortValue, reverse: boolean): ConnectionSource {
  const sign = reverse ? -1 : 1
  const sorted = [...items].sort((a, b) => compareKeys(valueOf(a), a.id, valueOf(b), b.id) * sign)
  return {
    length: sorted.length,
    slice: (start, end) => sorted.slice(start, end),
    cursorOf: (item) => encodeCursor((item as T).id, valueOf(item as T)),
    indexAfter: (cursor) => {
      const c = decodeCursor(cursor)
      if (!c) return null
      const i = sorted.findIndex((item) => compareKeys(valueOf(item), item.id, c.lastValue, c.lastId) * sign > 0)
      return i < 0 ? sorted.length : i
    },
  }
}

/**
 * The same keyset over rows already in ascending (value, id) order (kept between requests), read
 * forwards or backwards: a page costs its size, a cursor a binary search. `textValues`: every
 * value is a string, so a string cursor compares consistently (another cursor: a linear search,
 * as the sorted keyset does).
 */
function keptKeyset<T extends { id: number }>(asc: readonly T[], valueOf: (item: T) => SortValue, reverse: boolean, textValues: boolean): ConnectionSource {
  const n = asc.length
  const at = (i: number) => asc[reverse ? n - 1 - i : i]!
  const sign = reverse ? -1 : 1
  return {
    length: n,
    slice: (start, end) => {
      const [from, to] = sliceBounds(n, start, end)
      return Array.from({ length: to - from }, (_, i) => at(from + i))
    },
    cursorOf: (item) => encodeCursor((item as T).id, valueOf(item as T)),
    indexAfter: (cursor) => {
      const c = decodeCursor(cursor)
      if (!c) return null
      const after = (item: T) => compareKeys(valueOf(item), item.id, c.lastValue, c.lastId) * sign > 0
      // numbers (ids) compare consistently with any cursor value; text only with a text one
      if (textValues && typeof c.lastValue !== 'string') {
        for (let i = 0; i < n; i++) if (after(at(i))) return i
        return n
      }
      let lo = 0
      let hi = n
      while (lo < hi) {
        const mid = (lo + hi) >>> 1
        if (after(at(mid))) hi = mid
        else lo = mid + 1
      }
      return lo
    },
  }
}

/** customers by id, kept between requests (../mock-kit/key-order.ts) */
const byId = keyOrder((c: ShopifyCustomerRecord) => c.id)
/** per id order and sort key: the customers by (value, id), or null when some value is not a string */
const byValue = new WeakMap<object, Map<string, ShopifyCustomerRecord[] | null>>()

/** the customers connection for a sort key, from the orders kept between requests when it can */
function customersBy(customers: ShopifyCustomerRecord[], sortKey: string, valueOf: (c: ShopifyCustomerRecord) => SortValue, reverse: boolean): ConnectionSource {
  const ordered = byId.of(customers)
  // backwards is the exact reverse only when no two customers share an id
  if (!ordered || (reverse && !ordered.strict)) return keyset(customers, valueOf, reverse)
  if (sortKey === 'ID') return keptKeyset(ordered.rows, valueOf, reverse, false)
  let cache = byValue.get(ordered)
  if (!cache) byValue.set(ordered, (cache = new Map()))
  if (!cache.has(sortKey)) {
    const text = ordered.rows.every((c) => typeof valueOf(c) === 'string')
    // a stable sort of the id order: rows equal on (value, id) keep the array's order, as a sort of the array would
    cache.set(sortKey, text ? [...ordered.rows].sort((a, b) => compareKeys(valueOf(a), a.id, valueOf(b), b.id)) : null)
  }
  const rows = cache.get(sortKey)
  return rows ? keptKeyset(rows, valueOf, reverse, true) : keyset(customers, valueOf, reverse)
}

const SORT_VALUES: Record<string, (c: ShopifyCustomerRecord) => string | number> = {
  ID: (c) => c.id,
  CREATED_AT: (c) => c.createdAt,
  UPDATED_AT: (c) => c.updatedAt,
}

const text = (v: string | null | undefined) => v ?? null

export function shopifySchema(): Schema {
  return {
    QueryRoot: {
      shop: { kind: 'object', type: 'Shop', get: (root: MockShopData) => root },
      customers: {
        kind: 'connection',
        node: 'Customer',
        args: { first: 'Int', after: 'String', last: 'Int', before: 'String', reverse: 'Boolean', sortKey: 'CustomerSortKeys', query: 'String' },
        get: (root: MockShopData, args, f) => {
          if (!customerAccess('customers', f)) return null
          const sortKey = typeof args.sortKey === 'string' ? args.sortKey : 'ID'
          const by = SORT_VALUES[sortKey]
          // the mock serves the keys a migration reads by; search syntax and backwards paging it does not
          if (!by) return f.deny(`This mock does not serve sortKey ${sortKey}`, { code: 'NOT_SERVED_BY_MOCK' })
          if (args.query != null || args.last != null || args.before != null) return f.deny('This mock does not serve query, last or before on customers', { code: 'NOT_SERVED_BY_MOCK' })
          return customersBy(root.customers, sortKey, by, args.reverse === true)
        },
      },
      customer: {
        kind: 'object',
        type: 'Customer',
        args: { id: 'ID!' },
        get: (root: MockShopData, args, f) => {
          if (!customerAccess('customer', f)) return null
          const id = typeof args.id === 'string' ? Number(gidNumber(args.id, 'Customer')) : Number.NaN
          const ordered = Number.isFinite(id) ? byId.of(root.customers) : null
          return (ordered ? findByKey(byId, ordered, id) : root.customers.find((c) => c.id === id)) ?? null
        },
      },
      customersCount: {
        kind: 'object',
        type: 'Count',
        args: { query: 'String', limit: 'Int' },
        get: (root: MockShopData, args, f) => {
          if (!customerAccess('customersCount', f)) return null
          // counts stop at `limit` (default 10 000) and then say AT_LEAST
          const limit = args.limit === null ? Infinity : typeof args.limit === 'number' ? args.limit : 10_000
          const n = root.customers.length
          return n > limit ? { count: limit, precision: 'AT_LEAST' } : { count: n, precision: 'EXACT' }
        },
      },
    },
    Shop: {
      id: { kind: 'scalar', get: () => 'gid://shopify/Shop/1' },
      name: { kind: 'scalar', get: (s: MockShopData) => s.name },
      myshopifyDomain: { kind: 'scalar', get: (s: MockShopData) => s.myshopifyDomain },
      currencyCode: { kind: 'scalar', get: () => 'PLN' },
    },
    Count: {
      count: { kind: 'scalar', get: (c: { count: number }) => c.count },
      precision: { kind: 'scalar', get: (c: { precision: string }) => c.precision },
    },
    Customer: {
      id: { kind: 'scalar', get: (c: ShopifyCustomerRecord) => customerGid(c.id) },
      legacyResourceId: { kind: 'scalar', get: (c: ShopifyCustomerRecord) => String(c.id) },
      firstName: { kind: 'scalar', get: (c: ShopifyCustomerRecord) => text(c.firstName) },
      lastName: { kind: 'scalar', get: (c: ShopifyCustomerRecord) => text(c.lastName) },
      displayName: { kind: 'scalar', get: (c: ShopifyCustomerRecord) => [c.firstName, c.lastName].filter(Boolean).join(' ') || c.email?.emailAddress || c.phone?.phoneNumber || '' },
      locale: { kind: 'scalar', get: (c: ShopifyCustomerRecord) => c.locale },
      note: { kind: 'scalar', get: (c: ShopifyCustomerRecord) => text(c.note) },
      state: { kind: 'scalar', get: (c: ShopifyCustomerRecord) => c.state },
      tags: { kind: 'scalar', get: (c: ShopifyCustomerRecord) => c.tags },
      createdAt: { kind: 'scalar', get: (c: ShopifyCustomerRecord) => c.createdAt },
      updatedAt: { kind: 'scalar', get: (c: ShopifyCustomerRecord) => c.updatedAt },
      verifiedEmail: { kind: 'scalar', get: (c: ShopifyCustomerRecord) => c.verifiedEmail },
      defaultEmailAddress: { kind: 'object', type: 'CustomerEmailAddress', get: (c: ShopifyCustomerRecord) => c.email },
      defaultPhoneNumber: { kind: 'object', type: 'CustomerPhoneNumber', get: (c: ShopifyCustomerRecord) => c.phone },
      defaultAddress: { kind: 'object', type: 'MailingAddress', get: (c: ShopifyCustomerRecord) => c.addresses.find((a) => a.id === c.defaultAddressId) ?? null },
      addressesV2: {
        kind: 'connection',
        node: 'MailingAddress',
        args: { first: 'Int', after: 'String', last: 'Int', before: 'String', reverse: 'Boolean' },
        get: (c: ShopifyCustomerRecord, args, f) => {
          if (args.last != null || args.before != null) return f.deny('This mock does not serve last or before on addressesV2', { code: 'NOT_SERVED_BY_MOCK' })
          return keyset(c.addresses, (a) => a.id, args.reverse === true)
        },
      },
    },
    CustomerEmailAddress: {
      emailAddress: { kind: 'scalar', get: (e: NonNullable<ShopifyCustomerRecord['email']>) => e.emailAddress },
      marketingState: { kind: 'scalar', get: (e: NonNullable<ShopifyCustomerRecord['email']>) => e.marketingState },
      marketingOptInLevel: { kind: 'scalar', get: (e: NonNullable<ShopifyCustomerRecord['email']>) => e.marketingOptInLevel },
      marketingUpdatedAt: { kind: 'scalar', get: (e: NonNullable<ShopifyCustomerRecord['email']>) => e.marketingUpdatedAt },
      validFormat: { kind: 'scalar', get: (e: NonNullable<ShopifyCustomerRecord['email']>) => /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(e.emailAddress) },
    },
    CustomerPhoneNumber: {
      phoneNumber: { kind: 'scalar', get: (p: NonNullable<ShopifyCustomerRecord['phone']>) => p.phoneNumber },
      marketingState: { kind: 'scalar', get: (p: NonNullable<ShopifyCustomerRecord['phone']>) => p.marketingState },
      marketingOptInLevel: { kind: 'scalar', get: (p: NonNullable<ShopifyCustomerRecord['phone']>) => p.marketingOptInLevel },
      marketingUpdatedAt: { kind: 'scalar', get: (p: NonNullable<ShopifyCustomerRecord['phone']>) => p.marketingUpdatedAt },
    },
    MailingAddress: {
      id: { kind: 'scalar', get: (a: ShopifyMailingAddressRecord) => addressGid(a.id) },
      name: { kind: 'scalar', get: (a: ShopifyMailingAddressRecord) => [a.firstName, a.lastName].filter(Boolean).join(' ') },
      firstName: { kind: 'scalar', get: (a: ShopifyMailingAddressRecord) => a.firstName },
      lastName: { kind: 'scalar', get: (a: ShopifyMailingAddressRecord) => a.lastName },
      company: { kind: 'scalar', get: (a: ShopifyMailingAddressRecord) => a.company },
      address1: { kind: 'scalar', get: (a: ShopifyMailingAddressRecord) => a.address1 },
      address2: { kind: 'scalar', get: (a: ShopifyMailingAddressRecord) => a.address2 },
      city: { kind: 'scalar', get: (a: ShopifyMailingAddressRecord) => a.city },
      province: { kind: 'scalar', get: (a: ShopifyMailingAddressRecord) => a.province },
      provinceCode: { kind: 'scalar', get: (a: ShopifyMailingAddressRecord) => a.provinceCode },
      country: { kind: 'scalar', get: (a: ShopifyMailingAddressRecord) => a.country },
      countryCodeV2: { kind: 'scalar', get: (a: ShopifyMailingAddressRecord) => a.countryCodeV2 },
      zip: { kind: 'scalar', get: (a: ShopifyMailingAddressRecord) => a.zip },
      phone: { kind: 'scalar', get: (a: ShopifyMailingAddressRecord) => a.phone },
    },
  }
}
