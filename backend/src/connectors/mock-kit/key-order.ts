/**
 * A mock's rows in ascending key order (the shop's primary key), kept between requests, so that a
 * list page costs its own size plus a binary search instead of a filter and sort of the whole
 * base (which made paging through a million customers quadratic). Demo data comes in ascending
 * ids and registrations append a higher one, so the view is usually the array itself; otherwise
 * it is a sorted copy, stable as Array.prototype.sort, so rows with equal keys keep the array's
 * order — exactly what the mocks' former `[...rows].sort(byId)` gave.
 *
 * The array is looked at again when its identity, length or end rows change: push, splice,
 * filter and reassignment, the ways the mocks and the tests change data. A row replaced in place
 * in the middle, or a key edited out of order, goes unseen (no mock or test does that).
 */

export interface KeyOrdered<T> {
  /** the rows by ascending key (the live array itself when it is already in order) */
  readonly rows: readonly T[]
  /** no two rows share a key: the descending order is then exactly the reverse */
  readonly strict: boolean
}

export interface KeyOrder<T> {
  /**
   * `all` by ascending key; a new object whenever the rows changed (indexes built on it are
   * cached by it). Null when some key is not a finite number: the caller's slow path then.
   */
  of(all: readonly T[]): KeyOrdered<T> | null
  readonly key: (row: T) => number
}

interface State<T> {
  length: number
  first: T | undefined
  last: T | undefined
  ordered: { rows: T[]; strict: boolean } | null
  /** ordered.rows is `all` itself */
  self: boolean
}

export function keyOrder<T>(key: (row: T) => number): KeyOrder<T> {
  const states = new WeakMap<readonly T[], State<T>>()

  function build(all: readonly T[]): State<T> {
    const n = all.length
    const keys = new Float64Array(n)
    let sorted = true
    let strict = true
    for (let i = 0; i < n; i++) {
      const k = key(all[i]!)
      if (!Number.isFinite(k)) return { length: n, first: all[0], last: all[n - 1], ordered: null, self: false }
      keys[i] = k
      if (i > 0) {
        if (k < keys[i - 1]!) sorted = false
        else if (k === keys[i - 1]) strict = false
      }
    }
    if (sorted) return { length: n, first: all[0], last: all[n - 1], ordered: { rows: all as T[], strict }, self: true }
    const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => keys[a]! - keys[b]! || a - b)
    strict = true
    for (let i = 1; i < n; i++) if (keys[order[i]!] === keys[order[i - 1]!]) strict = false
    return { length: n, first: all[0], last: all[n - 1], ordered: { rows: order.map((i) => all[i]!), strict }, self: false }
  }

  /** rows pushed after the ones seen, all at or above the last key: the view grows by them */
  function appended(all: readonly T[], s: State<T>): State<T> | null {
    const seen = s.length
    if (!s.ordered || seen === 0 || all.length <= seen || all[0] !== s.first || all[seen - 1] !== s.last) return null
    const rows = s.ordered.rows
    // the last row seen (when the view is the array itself, its end has already moved on)
    let prev = s.self ? key(s.last!) : key(rows[rows.length - 1]!)
    let strict = s.ordered.strict
    for (let i = seen; i < all.length; i++) {
      const k = key(all[i]!)
      if (!Number.isFinite(k) || k < prev) return null
      if (k === prev) strict = false
      prev = k
    }
    const grown = s.self ? (all as T[]) : [...rows, ...all.slice(seen)]
    return { length: all.length, first: all[0], last: all[all.length - 1], ordered: { rows: grown, strict }, self: s.self }
  }

  return {
    key,
    of(all) {
      const s = states.get(all)
      const n = all.length
      if (s && s.length === n && all[0] === s.first && all[n - 1] === s.last) return s.ordered
      const next = (s && appended(all, s)) ?? build(all)
      states.set(all, next)
      return next.ordered
    },
  }
}

/** the first index in [lo, hi) where `before` is false, for a `before` that holds on a prefix of `rows` */
export function partitionPoint<T>(rows: readonly T[], before: (row: T) => boolean, lo = 0, hi = rows.length): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (before(rows[mid]!)) lo = mid + 1
    else hi = mid
  }
  return lo
}

/** [from, to) of the ordered rows whose key lies within the bounds (exclusive or inclusive each) */
export function keyRange<T>(order: KeyOrder<T>, ordered: KeyOrdered<T>, r: KeyBounds): [number, number] {
  const rows = ordered.rows
  const k = order.key
  const from = r.gt !== undefined ? partitionPoint(rows, (x) => k(x) <= r.gt!) : r.gte !== undefined ? partitionPoint(rows, (x) => k(x) < r.gte!) : 0
  const to = r.lt !== undefined ? partitionPoint(rows, (x) => k(x) < r.lt!) : r.lte !== undefined ? partitionPoint(rows, (x) => k(x) <= r.lte!) : rows.length
  return [from, Math.max(from, to)]
}

/** bounds on a key; `narrow` keeps the tighter of two of the same kind */
export interface KeyBounds {
  gt?: number
  gte?: number
  lt?: number
  lte?: number
}

/** `b` added to `a`: every bound kept (a row must satisfy all of them) */
export function narrow(a: KeyBounds, b: KeyBounds): KeyBounds {
  const max = (x?: number, y?: number) => (x === undefined ? y : y === undefined ? x : Math.max(x, y))
  const min = (x?: number, y?: number) => (x === undefined ? y : y === undefined ? x : Math.min(x, y))
  return { gt: max(a.gt, b.gt), gte: max(a.gte, b.gte), lt: min(a.lt, b.lt), lte: min(a.lte, b.lte) }
}

/** the first row with key `k` in the ordered rows (the first in the array's order among equals), or undefined */
export function findByKey<T>(order: KeyOrder<T>, ordered: KeyOrdered<T>, k: number): T | undefined {
  const i = partitionPoint(ordered.rows, (x) => order.key(x) < k)
  const row = ordered.rows[i]
  return row !== undefined && order.key(row) === k ? row : undefined
}

const groupCache = new WeakMap<object, Map<string, Map<number, unknown[]> | null>>()

/**
 * The ordered rows grouped by another numeric field, each group in the view's order: e.g.
 * addresses by customer id. `valueOf` answers NaN for a row no numeric lookup can match (left
 * out), undefined for a value the caller cannot index (no index then: null). Built once per view
 * (a change of the rows makes a new view) and per `name`.
 */
export function groupBy<T>(ordered: KeyOrdered<T>, name: string, valueOf: (row: T) => number | undefined): Map<number, T[]> | null {
  let byName = groupCache.get(ordered)
  if (!byName) groupCache.set(ordered, (byName = new Map()))
  if (!byName.has(name)) {
    let groups: Map<number, T[]> | null = new Map()
    for (const row of ordered.rows) {
      const v = valueOf(row)
      if (v === undefined) {
        groups = null
        break
      }
      if (!Number.isFinite(v)) continue
      const g = groups.get(v)
      if (g) g.push(row)
      else groups.set(v, [row])
    }
    byName.set(name, groups as Map<number, unknown[]> | null)
  }
  return byName.get(name) as Map<number, T[]> | null
}

const sortCache = new WeakMap<object, Map<string, unknown[]>>()

/** the ordered rows sorted again by `compare` (stably, so equal rows keep the key order), once per view and `name` */
export function sortedBy<T>(ordered: KeyOrdered<T>, name: string, compare: (a: T, b: T) => number): readonly T[] {
  let byName = sortCache.get(ordered)
  if (!byName) sortCache.set(ordered, (byName = new Map()))
  let rows = byName.get(name) as T[] | undefined
  if (!rows) byName.set(name, (rows = [...ordered.rows].sort(compare)))
  return rows
}

/** what Array.prototype.slice(start, end) takes from `length` rows, as [from, to) */
export function sliceBounds(length: number, start: number, end = length): [number, number] {
  const at = (x: number) => {
    const i = Math.trunc(x) || 0
    return i < 0 ? Math.max(length + i, 0) : Math.min(i, length)
  }
  const from = at(start)
  return [from, Math.max(from, at(end))]
}

/** Math.max(0, ...rows.map(valueOf)) without spreading a million arguments onto the stack */
export function maxOf<T>(rows: readonly T[], valueOf: (row: T) => number): number {
  let max = 0
  for (const row of rows) max = Math.max(max, valueOf(row))
  return max
}
