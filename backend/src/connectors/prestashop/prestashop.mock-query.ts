/**
 * The list semantics of the mock, ported from WebserviceRequest::manageFilters(),
 * setFieldsToDisplay() and SQLUtils::getSQLRetrieveFilter(): `display`, `filter[field]`
 * (`[v]`, `[a|b]`, `[a,b]`, `>[x]`, `<[x]`, `![x]`, `%` forms), `date=1`, `sort`, `limit`,
 * with the shop's own error codes and messages where a parameter is wrong.
 */

import { groupBy, keyOrder, keyRange, narrow, sliceBounds, type KeyBounds, type KeyOrdered } from '../mock-kit/key-order.ts'

/** A Webservice error: HTTP status, code and message as WebserviceRequest::setError() sets them. */
export class WsError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
  ) {
    super(message)
  }
}

export interface ResourceShape {
  /** every field, `id` first */
  fields: readonly string[]
  /** multilingual fields (filtered through any language) */
  i18n: readonly string[]
}

export type Row = Record<string, unknown>
/** `minimum`: ids only (no `display`); `full`; or the listed fields */
export type Display = 'minimum' | 'full' | string[]

export interface ListQuery {
  rows: Row[]
  display: Display
}

const DATE_FIELDS = ['date_add', 'date_upd']

export function levenshtein(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const cur = [i]
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1))
    prev = cur
  }
  return prev[b.length]!
}

/** WebserviceRequest::setErrorDidYouMean() */
export function didYouMean(status: number, label: string, value: string, available: readonly string[], code: number): WsError {
  let closest = ''
  let best = -1
  for (const w of available) {
    const d = levenshtein(value, w)
    if (d === 0) {
      closest = w
      break
    }
    if (d <= best || best < 0) {
      closest = w
      best = d
    }
  }
  const full = available.length > 1 ? ` The full list is: "${available.join('", "')}"` : ''
  return new WsError(status, code, `${label}. Did you mean: "${closest}"?${full}`)
}

const isNum = (s: string) => /^-?\d+(\.\d+)?$/.test(s.trim())

/** MySQL's comparison of a column with a quoted value: numeric when both are numbers, else case-insensitive text */
function compare(value: unknown, q: string): number {
  const v = value === null || value === undefined ? '' : String(value)
  if (isNum(v) && isNum(q)) return Number(v) - Number(q)
  const a = v.toLowerCase()
  const b = q.toLowerCase()
  return a < b ? -1 : a > b ? 1 : 0
}

function like(value: unknown, pattern: string): boolean {
  const re = new RegExp(`^${pattern.split('%').map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 'is')
  return re.test(value === null || value === undefined ? '' : String(value))
}

/** SQLUtils::getSQLRetrieveFilter as a predicate on one value (an operator it does not know: no condition) */
export function filterPredicate(raw: string): (value: unknown) => boolean {
  const m = /^(.*)\[(.*)\](.*)$/s.exec(raw)
  if (!m) return (v) => compare(v, raw) === 0
  const [, pre, inner, post] = m as unknown as [string, string, string, string]
  if (pre === '%' || post === '%') return (v) => like(v, pre + inner + post)
  if (pre === '' && post === '') {
    if (inner.indexOf('|') > 0) {
      const values = inner.split('|')
      return (v) => values.some((x) => compare(v, x) === 0)
    }
    const range = /^([\d.:\-\s]+),([\d.:\-\s]+)$/.exec(inner)
    if (range) {
      const [lo, hi] = [range[1]!, range[2]!].sort((a, b) => (isNum(a) && isNum(b) ? Number(a) - Number(b) : a < b ? -1 : 1))
      return (v) => compare(v, lo!) >= 0 && compare(v, hi!) <= 0
    }
    return (v) => compare(v, inner) === 0
  }
  if (pre === '>') return (v) => compare(v, inner) > 0
  if (pre === '<') return (v) => compare(v, inner) < 0
  if (pre === '!') {
    const values = inner.split('|')
    return (v) => values.every((x) => compare(v, x) !== 0)
  }
  return () => true
}

const i18nValues = (v: unknown): unknown[] => (v && typeof v === 'object' ? Object.values(v as object) : [v])

/** a column as a number the way compare() reads it: NaN when it compares as text; undefined for a multilingual value */
export function numericColumn(v: unknown): number | undefined {
  if (v && typeof v === 'object') return undefined
  const s = v === null || v === undefined ? '' : String(v)
  return isNum(s) ? Number(s) : Number.NaN
}

/** rows by id (as the SQL without ORDER BY returns them), kept between requests (../mock-kit/key-order.ts) */
export const byId = keyOrder((r: Row) => numericColumn(r.id) ?? Number.NaN)

/** columns looked up by value with `filter[col]=[a|b|…]` (the addresses of a page of customers) */
const GROUPED = new Set(['id_customer'])

interface ParsedFilter {
  field: string
  raw: string
  test: (value: unknown) => boolean
}

/**
 * display, filters, sort and limit applied to `rows` (already in id order, as the SQL without
 * ORDER BY returns them). `ordered`: those rows as the id order kept between requests, so that
 * a keyset page (`filter[id]=>[n]`, `sort=[id_ASC]`, `limit`) or the addresses of some customers
 * cost their own size; any other query filters and sorts every row, as before.
 */
export function applyListQuery(rows: readonly Row[], shape: ResourceShape, params: URLSearchParams, ordered?: KeyOrdered<Row>): ListQuery {
  const dates = Boolean(params.get('date')) && params.get('date') !== '0'
  const plain = shape.fields.filter((f) => !shape.i18n.includes(f) && (dates || !DATE_FIELDS.includes(f)))
  const filters: ParsedFilter[] = []
  for (const [key, raw] of params) {
    const m = /^filter\[([^\]]*)\](.*)$/.exec(key)
    if (!m) continue
    const [, field, rest] = m as unknown as [string, string, string]
    if (field === 'sort' || field === 'limit') continue
    if (rest !== '') throw new WsError(400, 31, 'There is no existing linked table for this resource')
    if (!plain.includes(field) && !shape.i18n.includes(field)) throw didYouMean(400, 'This filter does not exist', field, plain, 32)
    if (raw === '') throw new WsError(400, 33, `The filter "${field}" is malformed.`)
    filters.push({ field, raw, test: filterPredicate(raw) })
  }
  const display = parseDisplay(params.get('display'), shape)
  const sort = params.get('sort')
  const keys = sort === null ? null : sortKeys(sort, plain, shape.i18n)
  const limit = params.get('limit')
  let bounds: [number, number | undefined] | null = null
  if (limit !== null) {
    const parts = limit.split(',')
    if (parts.length > 2) throw new WsError(400, 39, 'The "limit" value has to be formed as this example: "5,25" or "10"')
    // PHP's (int) cast: leading digits, else 0
    const [a, b] = parts.map((p) => Number.parseInt(p.trim(), 10) || 0)
    bounds = [a!, b]
  }
  const matches = (r: Row) => filters.every((f) => i18nValues(r[f.field]).some((v) => f.test(v)))
  const cut = (out: Row[]) => (bounds === null ? out : bounds[1] === undefined ? out.slice(0, bounds[0]) : out.slice(bounds[0], bounds[0] + bounds[1]))

  const fast = ordered ? candidates(ordered, filters, keys) : null
  if (fast && filters.length === 0) {
    // every candidate is in: the limit picks them by position
    const [from, to] = bounds === null ? [0, fast.length] : bounds[1] === undefined ? sliceBounds(fast.length, 0, bounds[0]) : sliceBounds(fast.length, bounds[0], bounds[0] + bounds[1])
    return { rows: Array.from({ length: to - from }, (_, i) => fast.at(from + i)), display }
  }
  if (fast) {
    // matches in order until the limit's end is reached (all of them without a limit, or with a negative bound)
    const end = bounds === null ? Infinity : bounds[1] === undefined ? bounds[0] : bounds[0] + bounds[1]
    const need = bounds !== null && bounds[0] >= 0 && end >= 0 ? end : Infinity
    const out: Row[] = []
    for (let i = 0; i < fast.length && out.length < need; i++) {
      const r = fast.at(i)
      if (matches(r)) out.push(r)
    }
    return { rows: cut(out), display }
  }
  let out = rows.filter(matches)
  if (keys !== null) out = sortRows(out, keys)
  return { rows: cut(out), display }
}

/** one filter's bounds on the id, when it is a plain numeric comparison (`>[n]`, `<[n]`, `[n]`, `n`) */
function idBounds(raw: string): KeyBounds | null {
  const m = /^(.*)\[(.*)\](.*)$/s.exec(raw)
  const [pre, inner, post] = m ? [m[1]!, m[2]!, m[3]!] : ['', raw, '']
  if (post !== '' || !isNum(inner)) return null
  const x = Number(inner)
  return pre === '>' ? { gt: x } : pre === '<' ? { lt: x } : pre === '' ? { gte: x, lte: x } : null
}

/** the values of `[a|b|…]` (or `[a]`) when all are numbers */
function lookupValues(raw: string): number[] | null {
  const m = /^(.*)\[(.*)\](.*)$/s.exec(raw)
  if (!m || m[1] !== '' || m[3] !== '') return null
  const inner = m[2]!
  const values = inner.indexOf('|') > 0 ? inner.split('|') : [inner]
  return values.every(isNum) ? values.map(Number) : null
}

/**
 * The rows that may match, in the answer's order, taken from the id order: an id window, or the
 * rows with the looked-up values of a grouped column. Null when the query needs every row
 * (another sort, or nothing to narrow with and no index to use).
 */
function candidates(ordered: KeyOrdered<Row>, filters: readonly ParsedFilter[], keys: SortKey[] | null): { length: number; at(i: number): Row } | null {
  // by id: no sort, or the id first (alone unless ids are unique, where later keys never decide)
  const idFirst = keys !== null && keys[0]!.field === 'id' && (ordered.strict || keys.every((k) => k.field === 'id' && k.sign === keys[0]!.sign))
  if (keys !== null && !idFirst) return null
  const desc = keys !== null && keys[0]!.sign < 0
  if (desc && !ordered.strict) return null
  let window: KeyBounds = {}
  let lookup: Row[] | null = null
  for (const f of filters) {
    const idWindow = f.field === 'id' ? idBounds(f.raw) : null
    if (idWindow) window = narrow(window, idWindow)
    const values: number[] | null = lookup === null && GROUPED.has(f.field) ? lookupValues(f.raw) : null
    if (values) {
      const groups = groupBy(ordered, f.field, (r: Row) => numericColumn(r[f.field]))
      if (!groups || !ordered.strict) return null
      lookup = [...new Set(values)].flatMap((v: number) => groups.get(v) ?? []).sort((x, y) => byId.key(x) - byId.key(y))
    }
  }
  let [from, to] = keyRange(byId, ordered, window)
  const rows = lookup ?? ordered.rows
  if (lookup) [from, to] = [0, lookup.length]
  return { length: to - from, at: (i) => rows[desc ? to - 1 - i : from + i]! }
}

function parseDisplay(raw: string | null, shape: ResourceShape): Display {
  if (raw === null || raw === 'minimum') return 'minimum'
  if (raw === 'full') return 'full'
  const m = /^\[(.*)\]$/s.exec(raw)
  const available = shape.fields.join(', ')
  if (!m) throw new WsError(400, 36, `The 'display' syntax is wrong. You can set 'full' or '[field_1,field_2,field_3,...]'. These are available: ${available}`)
  const fields = m[1]!.split(',').map((f) => f.trim())
  for (const f of fields) {
    if (!shape.fields.includes(f)) throw new WsError(400, 35, `Unable to display this field "${f}". However, these are available: ${available}`)
  }
  return fields
}

interface SortKey {
  field: string
  sign: number
}

/** `sort=field_ASC` or `[f1_DESC,f2_ASC]`, checked as the shop checks it (codes 37, 38) */
function sortKeys(raw: string, plain: readonly string[], i18n: readonly string[]): SortKey[] {
  const m = /^\[(.*)\]$/s.exec(raw)
  return (m ? m[1]!.split(',') : [raw]).map((s) => {
    const at = s.lastIndexOf('_')
    const field = at < 0 ? '' : s.slice(0, at)
    const dir = at < 0 ? '' : s.slice(at + 1).toUpperCase()
    if (at < 0 || (dir !== 'ASC' && dir !== 'DESC')) {
      throw new WsError(400, 37, 'The "sort" value has to be formed as this example: "field_ASC" or \'[field_1_DESC,field_2_ASC,field_3_ASC,...]\' ("field" has to be an available field)')
    }
    if (!plain.includes(field) && !i18n.includes(field)) {
      throw new WsError(400, 38, `Unable to filter by this field. However, these are available: ${plain.join(', ')}, for i18n fields:${i18n.join(', ')}`)
    }
    return { field, sign: dir === 'ASC' ? 1 : -1 }
  })
}

function sortRows(rows: Row[], keys: readonly SortKey[]): Row[] {
  return rows.sort((a, b) => {
    for (const k of keys) {
      const d = compare(i18nValues(a[k.field])[0], String(i18nValues(b[k.field])[0] ?? ''))
      if (d !== 0) return d * k.sign
    }
    return 0
  })
}
