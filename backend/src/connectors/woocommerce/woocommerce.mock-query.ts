/**
 * The mock's GET /wc/v3/customers semantics: WordPress's validation of the collection params
 * (WC_REST_Customers_V1_Controller::get_collection_params + WC_REST_Controller's page/per_page;
 * errors as rest_validate_request_arg words them) and WC_REST_Customers_V1_Controller::get_items
 * (offset wins over page unless it is 0, role filter unless "all", X-WP-Total before the slice).
 */
import { keyOrder, sliceBounds } from '../mock-kit/key-order.ts'
import type { WooCustomerRecord } from './woocommerce.types.ts'

export interface WooListParams {
  perPage: number
  page: number
  offset: number
  order: 'asc' | 'desc'
  orderby: 'id' | 'include' | 'name' | 'registered_date'
  role: string
  include: number[]
  exclude: number[]
  email: string
  search: string
}

/** a WP_Error as WP_REST_Server renders it */
export interface WooRestError {
  status: number
  body: { code: string; message: string; data: Record<string, unknown> }
}

export const WP_CORE_ROLES = ['administrator', 'editor', 'author', 'contributor', 'subscriber', 'customer', 'shop_manager'] as const
const ORDERBY = ['id', 'include', 'name', 'registered_date'] as const
const ORDER = ['asc', 'desc'] as const

/** wp_sprintf's %l: "a and b", "a, b, and c" */
const listOf = (xs: readonly string[]) => (xs.length < 3 ? xs.join(' and ') : `${xs.slice(0, -1).join(', ')}, and ${xs.at(-1)}`)

type Check = { code: string; message: string }

function integer(name: string, raw: string | null, dflt: number, min?: number, max?: number): number | Check {
  if (raw === null) return dflt
  const n = Number(raw.trim())
  if (raw.trim() === '' || !Number.isInteger(n)) return { code: 'rest_invalid_type', message: `${name} is not of type integer.` }
  if (min !== undefined && max !== undefined && (n < min || n > max)) {
    return { code: 'rest_out_of_bounds', message: `${name} must be between ${min} (inclusive) and ${max} (inclusive)` }
  }
  if (min !== undefined && n < min) return { code: 'rest_out_of_bounds', message: `${name} must be greater than or equal to ${min}` }
  return n
}

function oneOf<T extends string>(name: string, raw: string | null, dflt: T, allowed: readonly T[]): T | Check {
  if (raw === null) return dflt
  return (allowed as readonly string[]).includes(raw) ? (raw as T) : { code: 'rest_not_in_enum', message: `${name} is not one of ${listOf(allowed)}.` }
}

const ids = (raw: string | null) => (raw ?? '').split(/[\s,]+/).filter(Boolean).map(Number).filter((n) => Number.isInteger(n) && n > 0)

/** the params WordPress would hand get_items, or its 400 */
export function parseListParams(q: URLSearchParams, roles: readonly string[]): WooListParams | WooRestError {
  const checked = {
    per_page: integer('per_page', q.get('per_page'), 10, 1, 100),
    page: integer('page', q.get('page'), 1, 1),
    offset: integer('offset', q.get('offset'), 0),
    order: oneOf('order', q.get('order'), 'asc', ORDER),
    orderby: oneOf('orderby', q.get('orderby'), 'name', ORDERBY),
    role: oneOf('role', q.get('role'), 'customer', ['all', ...roles]),
  }
  const bad = Object.entries(checked).filter((e): e is [string, Check] => typeof e[1] === 'object')
  if (bad.length > 0) {
    return {
      status: 400,
      body: {
        code: 'rest_invalid_param',
        message: `Invalid parameter(s): ${bad.map(([k]) => k).join(', ')}`,
        data: {
          status: 400,
          params: Object.fromEntries(bad.map(([k, c]) => [k, c.message])),
          details: Object.fromEntries(bad.map(([k, c]) => [k, { code: c.code, message: c.message, data: null }])),
        },
      },
    }
  }
  const v = checked as { per_page: number; page: number; offset: number; order: WooListParams['order']; orderby: WooListParams['orderby']; role: string }
  return {
    perPage: v.per_page,
    page: v.page,
    // absint
    offset: Math.abs(v.offset),
    order: v.order,
    orderby: v.orderby,
    role: v.role,
    include: ids(q.get('include')),
    exclude: ids(q.get('exclude')),
    email: (q.get('email') ?? '').trim().toLowerCase(),
    search: (q.get('search') ?? '').trim().toLowerCase(),
  }
}

/** WordPress's display_name as WooCommerce leaves it: the full name, else the login */
const displayName = (c: WooCustomerRecord) => `${c.first_name} ${c.last_name}`.trim() || c.username

function compare(p: WooListParams): (a: WooCustomerRecord, b: WooCustomerRecord) => number {
  const by: Record<WooListParams['orderby'], (a: WooCustomerRecord, b: WooCustomerRecord) => number> = {
    id: (a, b) => a.id - b.id,
    include: (a, b) => p.include.indexOf(a.id) - p.include.indexOf(b.id),
    // MySQL's case- and accent-insensitive collation; ties fall back to the id
    name: (a, b) => displayName(a).localeCompare(displayName(b), 'pl', { sensitivity: 'base' }) || a.id - b.id,
    registered_date: (a, b) => (a.date_created_gmt ?? '').localeCompare(b.date_created_gmt ?? '') || a.id - b.id,
  }
  const sign = p.order === 'desc' ? -1 : 1
  return (a, b) => sign * by[p.orderby](a, b)
}

/** customers by id, kept between requests (../mock-kit/key-order.ts) */
const byId = keyOrder((c: WooCustomerRecord) => c.id)

/** one page of get_items, with the total it reports in X-WP-Total */
export function listCustomers(all: readonly WooCustomerRecord[], p: WooListParams): { rows: WooCustomerRecord[]; total: number; offset: number } {
  // `if ( ! empty( $request['offset'] ) )`: an offset of 0 falls back to the page
  const offset = p.offset > 0 ? p.offset : (p.page - 1) * p.perPage
  // the walk's query (every role, by id, no narrowing): a slice of the id order, not a filter and sort of everyone
  const plain = p.role === 'all' && p.include.length === 0 && p.exclude.length === 0 && !p.email && !p.search && p.orderby === 'id'
  const ordered = plain ? byId.of(all) : null
  if (ordered && (p.order === 'asc' || ordered.strict)) {
    const n = ordered.rows.length
    const [from, to] = sliceBounds(n, offset, offset + p.perPage)
    const rows = p.order === 'asc' ? ordered.rows.slice(from, to) : ordered.rows.slice(n - to, n - from).reverse()
    return { rows, total: n, offset }
  }
  const matching = all.filter(
    (c) =>
      (p.role === 'all' || c.role === p.role) &&
      (p.include.length === 0 || p.include.includes(c.id)) &&
      !p.exclude.includes(c.id) &&
      (!p.email || c.email.toLowerCase() === p.email) &&
      (!p.search || [c.email, c.username, displayName(c)].some((s) => s.toLowerCase().includes(p.search))),
  )
  matching.sort(compare(p))
  return { rows: matching.slice(offset, offset + p.perPage), total: matching.length, offset }
}
