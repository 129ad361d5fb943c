/**
 * The mock's searchCriteria, as a …/search route reads it: PHP parses the query into nested
 * arrays, ServiceInputProcessor builds SearchCriteria (snake_case or camelCase keys, ints
 * checked), the collection applies filter groups (AND of groups, OR inside a group), sort
 * orders (DESC unless ASC is asked), and paging: without pageSize every row at once; a
 * currentPage past the end is clamped to the last page (Data\Collection::getCurPage), so the
 * last page comes back again.
 */
import { narrow, type KeyBounds } from '../mock-kit/key-order.ts'
import type { MagentoFailure } from './magento2.mock-oauth.ts'

export type Row = Record<string, unknown>

export interface Filter {
  field: string
  value: string
  condition_type: string
}
export interface SortOrder {
  field: string
  direction: string
}
export interface SearchCriteria {
  filter_groups: Array<{ filters: Filter[] }>
  sort_orders: SortOrder[]
  page_size: number | null
  current_page: number | null
}

export class MagentoInputError extends Error {
  constructor(readonly failure: MagentoFailure) {
    super(failure.message)
  }
}

type Tree = { [k: string]: Tree | string }

/** PHP's parse_str for `a[b][0][c]=v` (last value wins; `[]` appends) */
export function phpParseQuery(search: string): Tree {
  const root: Tree = {}
  const decode = (s: string) => {
    const t = s.replace(/\+/g, ' ')
    try {
      return decodeURIComponent(t)
    } catch {
      return t
    }
  }
  for (const part of search.replace(/^\?/, '').split('&')) {
    if (!part) continue
    const at = part.indexOf('=')
    const rawKey = decode(at < 0 ? part : part.slice(0, at))
    const value = at < 0 ? '' : decode(part.slice(at + 1))
    const m = /^([^[]+)((?:\[[^\]]*\])*)$/.exec(rawKey)
    if (!m) continue
    const path = [m[1]!, ...[...m[2]!.matchAll(/\[([^\]]*)\]/g)].map((x) => x[1]!)]
    let node: Tree = root
    path.forEach((seg, i) => {
      const key = seg === '' ? String(Object.keys(node).length) : seg
      if (i === path.length - 1) node[key] = value
      else {
        const next = node[key]
        node = typeof next === 'object' ? next : (node[key] = {})
      }
    })
  }
  return root
}

const listOf = (t: Tree | string | undefined): Tree[] =>
  t && typeof t === 'object' ? Object.keys(t).sort((a, b) => Number(a) - Number(b)).flatMap((k) => (typeof t[k] === 'object' ? [t[k] as Tree] : [])) : []
const pick = (t: Tree, snake: string, camel: string) => t[snake] ?? t[camel]
const str = (v: Tree | string | undefined) => (typeof v === 'string' ? v : '')

/** ServiceInputProcessor's type check of an int field */
function int(v: Tree | string | undefined): number | null {
  if (v === undefined) return null
  if (typeof v === 'string' && /^-?\d+$/.test(v.trim())) return Number(v)
  throw new MagentoInputError({
    status: 400,
    message: 'The "%value" value\'s type is invalid. The "%type" type was expected. Verify and try again.',
    parameters: { value: typeof v === 'string' ? v : 'array', type: 'int' },
  })
}

/** the `searchCriteria` argument of a getList route; required (Magento answers 400 without it) */
export function readSearchCriteria(search: string): SearchCriteria {
  const sc = phpParseQuery(search).searchCriteria
  if (sc === undefined) {
    throw new MagentoInputError({ status: 400, message: '"%fieldName" is required. Enter and try again.', parameters: { fieldName: 'searchCriteria' } })
  }
  const t: Tree = typeof sc === 'object' ? sc : {}
  return {
    filter_groups: listOf(pick(t, 'filter_groups', 'filterGroups')).map((g) => ({
      filters: listOf(g.filters).map((f) => ({ field: str(f.field), value: str(f.value), condition_type: str(pick(f, 'condition_type', 'conditionType')) || 'eq' })),
    })),
    sort_orders: listOf(pick(t, 'sort_orders', 'sortOrders')).map((s) => ({ field: str(s.field), direction: str(s.direction) })),
    page_size: int(pick(t, 'page_size', 'pageSize')),
    current_page: int(pick(t, 'current_page', 'currentPage')),
  }
}

/** `{"filter_groups":…,"sort_orders":…,"page_size":…,"current_page":…}` as the answer echoes it */
export function echoCriteria(c: SearchCriteria): Row {
  return {
    filter_groups: c.filter_groups,
    ...(c.sort_orders.length > 0 ? { sort_orders: c.sort_orders } : {}),
    ...(c.page_size === null ? {} : { page_size: c.page_size }),
    ...(c.current_page === null ? {} : { current_page: c.current_page }),
  }
}

const numeric = (v: unknown) => typeof v === 'number' || (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v))
function compare(a: unknown, b: string): number {
  if (numeric(a) && numeric(b)) return Number(a) - Number(b)
  const x = String(a ?? '')
  return x < b ? -1 : x > b ? 1 : 0
}
const likeRe = (pattern: string) => new RegExp(`^${pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/%/g, '.*').replace(/_/g, '.')}$`, 'is')

function matches(row: Row, f: Filter): boolean {
  const v = row[f.field]
  switch (f.condition_type) {
    case 'eq':
      return v !== undefined && compare(v, f.value) === 0
    case 'neq':
      return v === undefined || compare(v, f.value) !== 0
    case 'gt':
      return v !== undefined && compare(v, f.value) > 0
    case 'gteq':
    case 'moreq':
      return v !== undefined && compare(v, f.value) >= 0
    case 'lt':
      return v !== undefined && compare(v, f.value) < 0
    case 'lteq':
      return v !== undefined && compare(v, f.value) <= 0
    case 'in':
      return v !== undefined && f.value.split(',').some((x) => compare(v, x.trim()) === 0)
    case 'nin':
      return v === undefined || !f.value.split(',').some((x) => compare(v, x.trim()) === 0)
    case 'like':
      return v !== undefined && likeRe(f.value).test(String(v))
    case 'null':
      return v === undefined || v === null
    case 'notnull':
      return v !== undefined && v !== null
    default:
      throw new MagentoInputError({ status: 400, message: 'Invalid condition type "%1"', parameters: [f.condition_type] })
  }
}

export interface SearchPage {
  items: Row[]
  total_count: number
}

/**
 * Applies the criteria to `rows` (already in the table's natural order). `fields` are the
 * columns one may filter and sort on; another field is an EAV/SQL error (400).
 */
export function applySearch(rows: readonly Row[], c: SearchCriteria, fields: readonly string[]): SearchPage {
  checkFields(c, fields)
  const hit = rows.filter((r) => c.filter_groups.every((g) => g.filters.length === 0 || g.filters.some((f) => matches(r, f))))
  if (c.sort_orders.length > 0) {
    hit.sort((a, b) => {
      for (const s of c.sort_orders) {
        const d = compare(a[s.field], String(b[s.field] ?? ''))
        // SortingProcessor: anything but ASC is DESC
        if (d !== 0) return s.direction.toUpperCase() === 'ASC' ? d : -d
      }
      return 0
    })
  }
  const [from, to] = pageBounds(hit.length, c)
  return { items: hit.slice(from, to), total_count: hit.length }
}

/** an unknown field in a filter or a sort order: the EAV/SQL error (400), before anything is read */
export function checkFields(c: SearchCriteria, fields: readonly string[]): void {
  const known = (field: string) => {
    if (!fields.includes(field)) throw new MagentoInputError({ status: 400, message: 'Invalid attribute name: %1', parameters: [field] })
  }
  for (const g of c.filter_groups) for (const f of g.filters) known(f.field)
  for (const s of c.sort_orders) known(s.field)
}

/** [from, to) of the `total` hits that the page shows: all without pageSize, a page past the end clamped to the last */
export function pageBounds(total: number, c: SearchCriteria): [number, number] {
  if (c.page_size === null || c.page_size <= 0) return [0, total]
  const lastPage = total === 0 ? 1 : Math.ceil(total / c.page_size)
  const page = Math.min(Math.max(c.current_page ?? 1, 1), lastPage)
  return [Math.min(total, (page - 1) * c.page_size), Math.min(total, page * c.page_size)]
}

const ID_CONDITIONS: Record<string, (x: number) => KeyBounds> = {
  eq: (x) => ({ gte: x, lte: x }),
  gt: (x) => ({ gt: x }),
  gteq: (x) => ({ gte: x }),
  moreq: (x) => ({ gte: x }),
  lt: (x) => ({ lt: x }),
  lteq: (x) => ({ lte: x }),
}

/**
 * The bounds on `idField` of a search that filters on nothing else (one numeric comparison per
 * filter group) and sorts by nothing or by it first (`desc` when descending: anything but ASC),
 * as the keyset read asks; null for any other search (which then filters and sorts every row).
 */
export function idWindow(c: SearchCriteria, idField: string): { bounds: KeyBounds; desc: boolean } | null {
  let bounds: KeyBounds = {}
  for (const g of c.filter_groups) {
    if (g.filters.length === 0) continue
    const f = g.filters[0]!
    const cond = ID_CONDITIONS[f.condition_type]
    if (g.filters.length > 1 || f.field !== idField || !cond || !numeric(f.value)) return null
    bounds = narrow(bounds, cond(Number(f.value)))
  }
  const first = c.sort_orders[0]
  if (first && first.field !== idField) return null
  return { bounds, desc: first !== undefined && first.direction.toUpperCase() !== 'ASC' }
}
