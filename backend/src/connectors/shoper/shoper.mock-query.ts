/**
 * The mock's list semantics: Shoper's `limit`/`page`/`filters`/`order` applied to an array.
 * String comparisons ignore case, as MySQL's default collation behind Shoper does.
 */

import { keyOrder, keyRange, narrow, type KeyBounds, type KeyOrder } from '../mock-kit/key-order.ts'

export class MockQueryError extends Error {}

export interface ListResult {
  count: string
  pages: number
  page: number
  list: Record<string, unknown>[]
}

type Row = Record<string, unknown>

const DEFAULT_LIMIT = 10

export function applyListQuery(rows: readonly Row[], params: URLSearchParams, idField: string): ListResult {
  const limit = intParam(params.get('limit'), DEFAULT_LIMIT)
  if (limit === null || limit < 1 || limit > 50) throw new MockQueryError('Limit beyond 1-50 range')
  const page = intParam(params.get('page'), 1)
  if (page === null || page < 1) throw new MockQueryError('Invalid page number')
  const filters = parseFilters(params.get('filters'))
  const order = parseOrder(params)

  // the walks' queries (no filter, or a window on the id; id order) come from the id order kept
  // between requests: a page costs its size, not a sort of the whole list
  const window = idWindow(filters, order, idField)
  const ordered = window ? idOrderOf(idField).of(rows) : null
  if (window && ordered) {
    const [from, to] = keyRange(idOrderOf(idField), ordered, window)
    const count = to - from
    const start = Math.min(to, from + (page - 1) * limit)
    return { count: String(count), pages: Math.ceil(count / limit), page, list: ordered.rows.slice(start, Math.min(to, start + limit)) }
  }

  const matched = rows.filter((r) => matches(r, filters))
  matched.sort((a, b) => {
    for (const o of order) {
      const c = compare(a[o.field], b[o.field])
      if (c !== 0) return o.desc ? -c : c
    }
    return compare(a[idField], b[idField])
  })
  const pages = Math.ceil(matched.length / limit)
  const list = matched.slice((page - 1) * limit, page * limit)
  return { count: String(matched.length), pages, page, list }
}

const idOrders = new Map<string, KeyOrder<Row>>()

/** rows by their id field as the list compares it (numerically); a non-numeric id leaves the lists to the slow path */
export function idOrderOf(idField: string): KeyOrder<Row> {
  let order = idOrders.get(idField)
  if (!order) {
    order = keyOrder((row: Row) => {
      const s = norm(row[idField])
      return isNumeric(s) ? Number(s) : Number.NaN
    })
    idOrders.set(idField, order)
  }
  return order
}

const RANGE_OPS: Record<string, (x: number) => KeyBounds> = {
  '>': (x) => ({ gt: x }),
  '>=': (x) => ({ gte: x }),
  '<': (x) => ({ lt: x }),
  '<=': (x) => ({ lte: x }),
  '=': (x) => ({ gte: x, lte: x }),
}

/**
 * The id bounds of a query that filters on nothing but its id field with numeric comparisons and
 * orders by the id ascending (or not at all); null for any other query (the slow path then).
 */
function idWindow(filters: Row, order: Array<{ field: string; desc: boolean }>, idField: string): KeyBounds | null {
  if (order.some((o) => o.field !== idField || o.desc)) return null
  let bounds: KeyBounds = {}
  for (const [field, cond] of Object.entries(filters)) {
    if (field !== idField || Array.isArray(cond)) return null
    const ops: Array<[string, unknown]> = cond !== null && typeof cond === 'object' ? Object.entries(cond as Row) : [['=', cond]]
    for (const [op, arg] of ops) {
      const range = RANGE_OPS[op.toUpperCase()]
      const x = norm(arg)
      if (!range || !isNumeric(x)) return null
      bounds = narrow(bounds, range(Number(x)))
    }
  }
  return bounds
}

/** the `user_id` bounds of a list query's filters (`>` and `<=`), as a keyset read sends them */
export function userIdBound(params: URLSearchParams): { gt?: number; lte?: number } {
  let filters: Row
  try {
    filters = parseFilters(params.get('filters'))
  } catch {
    return {}
  }
  const cond = filters.user_id
  if (!cond || typeof cond !== 'object' || Array.isArray(cond)) return {}
  const c = cond as Row
  const num = (v: unknown) => (v === undefined || v === null || v === '' || Number.isNaN(Number(v)) ? undefined : Number(v))
  return { gt: num(c['>']), lte: num(c['<=']) }
}

function intParam(raw: string | null, dflt: number): number | null {
  if (raw === null || raw === '') return dflt
  return /^\d+$/.test(raw.trim()) ? Number(raw) : null
}

function parseFilters(raw: string | null): Row {
  if (raw === null || raw.trim() === '') return {}
  let v: unknown
  try {
    v = JSON.parse(raw)
  } catch {
    throw new MockQueryError('Invalid filters: not JSON')
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw new MockQueryError('Invalid filters: expected an object')
  return v as Row
}

/** `order[]=field asc`, `order=field desc`, `+field` / `-field` */
function parseOrder(params: URLSearchParams): Array<{ field: string; desc: boolean }> {
  const raw = [...params.getAll('order[]'), ...params.getAll('order')]
  return raw
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => {
      if (s.startsWith('-')) return { field: s.slice(1), desc: true }
      if (s.startsWith('+')) return { field: s.slice(1), desc: false }
      const [field = '', dir = 'asc'] = s.split(/\s+/)
      if (!/^(asc|desc)$/i.test(dir)) throw new MockQueryError(`Invalid order direction: ${dir}`)
      return { field, desc: dir.toLowerCase() === 'desc' }
    })
}

function matches(row: Row, filters: Row): boolean {
  return Object.entries(filters).every(([field, cond]) => {
    const value = row[field]
    if (cond !== null && typeof cond === 'object' && !Array.isArray(cond)) {
      return Object.entries(cond as Row).every(([op, arg]) => test(op, value, arg))
    }
    if (Array.isArray(cond)) return test('IN', value, cond)
    return test('=', value, cond)
  })
}

function test(op: string, value: unknown, arg: unknown): boolean {
  switch (op.toUpperCase()) {
    case '=':
      return equal(value, arg)
    case '!=':
      return !equal(value, arg)
    case '>':
      return compare(value, arg) > 0
    case '>=':
      return compare(value, arg) >= 0
    case '<':
      return compare(value, arg) < 0
    case '<=':
      return compare(value, arg) <= 0
    case '~':
      return like(value, arg)
    case '!~':
      return !like(value, arg)
    case 'IN':
      if (!Array.isArray(arg)) throw new MockQueryError('IN expects an array')
      return arg.some((a) => equal(value, a))
    case 'NOT IN':
      if (!Array.isArray(arg)) throw new MockQueryError('NOT IN expects an array')
      return !arg.some((a) => equal(value, a))
    default:
      throw new MockQueryError(`Unknown filter operator: ${op}`)
  }
}

function norm(v: unknown): string {
  if (v === null || v === undefined) return ''
  if (typeof v === 'boolean') return v ? '1' : '0'
  return String(v).trim().toLowerCase()
}

const isNumeric = (s: string) => /^-?\d+(\.\d+)?$/.test(s)

function equal(a: unknown, b: unknown): boolean {
  const x = norm(a)
  const y = norm(b)
  return isNumeric(x) && isNumeric(y) ? Number(x) === Number(y) : x === y
}

function compare(a: unknown, b: unknown): number {
  const x = norm(a)
  const y = norm(b)
  if (isNumeric(x) && isNumeric(y)) return Number(x) - Number(y)
  return x < y ? -1 : x > y ? 1 : 0
}

/** SQL LIKE: `%` and `_` wildcards; without `%` the value is searched anywhere, as Shoper's `~` does */
function like(value: unknown, arg: unknown): boolean {
  const pattern = norm(arg)
  const text = norm(value)
  if (!pattern.includes('%') && !pattern.includes('_')) return text.includes(pattern)
  const re = pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/%/g, '.*').replace(/_/g, '.')
  return new RegExp(`^${re}$`, 's').test(text)
}
