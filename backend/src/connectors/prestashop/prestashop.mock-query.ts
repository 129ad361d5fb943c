/**
 * The list semantics of the mock, ported from WebserviceRequest::manageFilters(),
 * setFieldsToDisplay() and SQLUtils::getSQLRetrieveFilter(): `display`, `filter[field]`
 * (`[v]`, `[a|b]`, `[a,b]`, `>[x]`, `<[x]`, `![x]`, `%` forms), `date=1`, `sort`, `limit`,
 * with the shop's own error codes and messages where a parameter is wrong.
 */

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

/** display, filters, sort and limit applied to `rows` (already in id order, as the SQL without ORDER BY returns them) */
export function applyListQuery(rows: readonly Row[], shape: ResourceShape, params: URLSearchParams): ListQuery {
  const dates = Boolean(params.get('date')) && params.get('date') !== '0'
  const plain = shape.fields.filter((f) => !shape.i18n.includes(f) && (dates || !DATE_FIELDS.includes(f)))
  let out = [...rows]
  for (const [key, raw] of params) {
    const m = /^filter\[([^\]]*)\](.*)$/.exec(key)
    if (!m) continue
    const [, field, rest] = m as unknown as [string, string, string]
    if (field === 'sort' || field === 'limit') continue
    if (rest !== '') throw new WsError(400, 31, 'There is no existing linked table for this resource')
    if (!plain.includes(field) && !shape.i18n.includes(field)) throw didYouMean(400, 'This filter does not exist', field, plain, 32)
    if (raw === '') throw new WsError(400, 33, `The filter "${field}" is malformed.`)
    const test = filterPredicate(raw)
    out = out.filter((r) => i18nValues(r[field]).some((v) => test(v)))
  }
  const display = parseDisplay(params.get('display'), shape)
  const sort = params.get('sort')
  if (sort !== null) out = sortRows(out, sort, plain, shape.i18n)
  const limit = params.get('limit')
  if (limit !== null) {
    const parts = limit.split(',')
    if (parts.length > 2) throw new WsError(400, 39, 'The "limit" value has to be formed as this example: "5,25" or "10"')
    // PHP's (int) cast: leading digits, else 0
    const [a, b] = parts.map((p) => Number.parseInt(p.trim(), 10) || 0)
    out = b === undefined ? out.slice(0, a) : out.slice(a, a! + b)
  }
  return { rows: out, display }
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

function sortRows(rows: Row[], raw: string, plain: readonly string[], i18n: readonly string[]): Row[] {
  const m = /^\[(.*)\]$/s.exec(raw)
  const keys = (m ? m[1]!.split(',') : [raw]).map((s) => {
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
  return rows.sort((a, b) => {
    for (const k of keys) {
      const d = compare(i18nValues(a[k.field])[0], String(i18nValues(b[k.field])[0] ?? ''))
      if (d !== 0) return d * k.sign
    }
    return 0
  })
}
