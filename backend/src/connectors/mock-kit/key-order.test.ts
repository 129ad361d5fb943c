/** The id order the mocks keep between requests: the same rows a sort would give, and it follows the data's changes. */
import { describe, expect, it } from 'vitest'
import { findByKey, groupBy, keyOrder, keyRange, maxOf, partitionPoint, sliceBounds, sortedBy } from './key-order.ts'

type R = { id: number; tag?: string; owner?: number }
const rows = (...ids: number[]): R[] => ids.map((id) => ({ id }))
const ids = (xs: readonly R[] | undefined) => xs?.map((x) => x.id)

describe('keyOrder', () => {
  it('is the array itself while it is in order, and the same object while nothing changed', () => {
    const order = keyOrder((r: R) => r.id)
    const all = rows(1, 2, 5, 9)
    const view = order.of(all)!
    expect(view.rows).toBe(all)
    expect(view.strict).toBe(true)
    expect(order.of(all)).toBe(view)
  })

  it('sorts a copy stably when the array is out of order: equal keys keep the array order', () => {
    const order = keyOrder((r: R) => r.id)
    const all: R[] = [{ id: 5, tag: 'a' }, { id: 1 }, { id: 5, tag: 'b' }, { id: 3 }]
    const view = order.of(all)!
    expect(view.rows).not.toBe(all)
    expect(view.rows.map((r) => `${r.id}${r.tag ?? ''}`)).toEqual(['1', '3', '5a', '5b'])
    expect(view.strict).toBe(false)
    expect(view.rows).toEqual([...all].sort((a, b) => a.id - b.id))
  })

  it('follows pushes (ascending or not), splices, filters and reassignments', () => {
    const order = keyOrder((r: R) => r.id)
    let all = rows(1, 2, 3)
    const first = order.of(all)!
    all.push({ id: 7 }, { id: 8 })
    const grown = order.of(all)!
    expect(grown).not.toBe(first)
    expect(ids(grown.rows)).toEqual([1, 2, 3, 7, 8])
    all.push({ id: 2 })
    expect(ids(order.of(all)!.rows)).toEqual([1, 2, 2, 3, 7, 8])
    expect(order.of(all)!.strict).toBe(false)
    // appended to a sorted copy
    all.push({ id: 10 })
    expect(ids(order.of(all)!.rows)).toEqual([1, 2, 2, 3, 7, 8, 10])
    all.splice(1, 1)
    expect(ids(order.of(all)!.rows)).toEqual([1, 2, 3, 7, 8, 10])
    all = all.filter((r) => r.id !== 7)
    expect(ids(order.of(all)!.rows)).toEqual([1, 2, 3, 8, 10])
  })

  it('gives up (null) when a key is not a finite number, and serves again once it is', () => {
    const order = keyOrder((r: R) => r.id)
    const all = rows(1, Number.NaN, 3)
    expect(order.of(all)).toBeNull()
    all.splice(1, 1)
    expect(ids(order.of(all)!.rows)).toEqual([1, 3])
    expect(order.of([])!.rows).toEqual([])
  })
})

describe('searches on the kept order', () => {
  const order = keyOrder((r: R) => r.id)
  const view = order.of(rows(2, 4, 4, 6, 8, 10))!

  it('finds bounds, windows and rows by key', () => {
    expect(partitionPoint(view.rows, (r) => r.id < 5)).toBe(3)
    expect(keyRange(order, view, { gt: 4 })).toEqual([3, 6])
    expect(keyRange(order, view, { gte: 4, lte: 8 })).toEqual([1, 5])
    expect(keyRange(order, view, { gt: 8, lt: 4 })).toEqual([5, 5])
    expect(keyRange(order, view, {})).toEqual([0, 6])
    expect(findByKey(order, view, 4)).toBe(view.rows[1])
    expect(findByKey(order, view, 5)).toBeUndefined()
  })

  it('groups and re-sorts once per view', () => {
    const all: R[] = [{ id: 1, owner: 7 }, { id: 2, owner: 3 }, { id: 3, owner: 7 }, { id: 4, owner: Number.NaN }]
    const v = keyOrder((r: R) => r.id).of(all)!
    const groups = groupBy(v, 'owner', (r) => r.owner)!
    expect([...groups.entries()].map(([k, g]) => [k, ids(g)])).toEqual([
      [7, [1, 3]],
      [3, [2]],
    ])
    expect(groupBy(v, 'owner', (r) => r.owner)).toBe(groups)
    expect(groupBy(v, 'unindexable', () => undefined)).toBeNull()
    const owner = (r: R) => (Number.isNaN(r.owner) ? 0 : r.owner!)
    const byOwner = sortedBy(v, 'owner', (a, b) => owner(a) - owner(b))
    expect(ids(byOwner)).toEqual([4, 2, 1, 3])
    expect(sortedBy(v, 'owner', (a, b) => owner(a) - owner(b))).toBe(byOwner)
  })

  it('cuts as Array.prototype.slice does, and takes a maximum without spreading', () => {
    for (const [start, end] of [[0, 3], [2, 100], [-2, undefined], [5, 2], [Number.NaN, 2], [-100, -1], [1, Infinity]] as const) {
      const xs = [0, 1, 2, 3, 4, 5]
      const [from, to] = sliceBounds(xs.length, start, end)
      expect(xs.slice(from, to)).toEqual(xs.slice(start, end))
    }
    expect(maxOf(rows(3, 9, 4), (r) => r.id)).toBe(9)
    expect(maxOf([], (r: R) => r.id)).toBe(0)
    expect(maxOf(Array.from({ length: 300_000 }, (_, i) => i), (x) => x)).toBe(299_999)
  })
})
