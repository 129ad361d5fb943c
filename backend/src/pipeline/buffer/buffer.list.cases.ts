/**
 * The lists' pages and totals against a plain filter over every row, for each driver (states,
 * search index, error codes), with budgets small enough that pages end early and totals cap;
 * shared by the SQLite and PostgreSQL tests.
 */
import type { MikroORM } from '@mikro-orm/core'
import { expect } from 'vitest'
import { BufferCustomerEntity, type BufferCustomerRow } from '../../db/buffer-customer.entity.ts'
import { ensureRawObjects } from '../../db/raw/index.ts'
import { address, customer } from '../xml/xml.fixtures.ts'
import { newBufferRow } from './buffer.rows.ts'
import { listPage, LIST_LIMITS, type ListLimits, type ListSpec } from './buffer.list.ts'

/** the product's row budgets without its time budgets (a busy test machine must not change the pages) */
const ROOMY: ListLimits = { ...LIST_LIMITS, pageMs: Infinity, countMs: Infinity }
/** budgets a few rows wide: pages end early, totals stop */
const tightLimits = (over: Partial<ListLimits> = {}): ListLimits => ({ pageRows: 40, pageMs: Infinity, countCap: 25, countRows: 60, countMs: Infinity, chunk: 30, ...over })
import { bufferWhere, storedStates } from './buffer.query.ts'

const FIRST = ['Anna', 'Jan', 'Łucja', 'Zofia', 'Piotr', 'Żaneta']
const LAST = ['Kowalska', 'Nowak', 'Wiśniewski', 'Żak', 'Dąbrowski']
const CITY = ['Warszawa', 'Łódź', 'Kraków', 'Gdańsk']
const CODES = ['POSTCODE_INVALID', 'PHONE_INVALID', 'CITY_MISSING', 'EMAIL_TAKEN']

/** deterministic, varied rows: names and cities for the search, every state, codes on some */
function rowsOf(importId: number, n: number) {
  return Array.from({ length: n }, (_, i) => {
    const first = FIRST[i % FIRST.length]!
    const last = LAST[(i * 7) % LAST.length]!
    const c = customer(`${importId}-${i}`, {
      email: `${first.toLowerCase()}_${i}@${i % 3 ? 'example.net' : 'poczta.pl'}`,
      firstName: first,
      lastName: last,
      company: i % 11 === 0 ? 'Firma 100% "Róża"' : '',
      addresses: [address({ city: CITY[i % CITY.length]!, firstName: first, lastName: last })],
    })
    return newBufferRow(importId, i, c, new Date())
  })
}

/** states, codes and mails over the rows, as imports, failures, skips and notifications leave them */
async function spread(orm: MikroORM, importId: number): Promise<void> {
  const em = orm.em.fork()
  const rows = await em.find(BufferCustomerEntity, { importId }, { orderBy: { id: 'asc' } })
  for (const [i, r] of rows.entries()) {
    const codes = i % 5 === 1 ? [CODES[i % 4]!] : i % 5 === 3 ? [CODES[i % 4]!, CODES[(i + 1) % 4]!] : []
    const state = codes.length ? (i % 3 === 0 ? 'pending' : 'failed') : i % 7 === 0 ? 'skipped' : i % 2 ? 'imported' : i % 13 === 0 ? 'importing' : 'pending'
    await em.nativeUpdate(
      BufferCustomerEntity,
      { id: r.id },
      {
        state,
        errors: codes.length ? codes.map((code) => ({ code: code as never, field: 'x', message: 'm' })) : null,
        errorCodes: codes.length ? ` ${codes.join(' ')} ` : '',
        notifyState: state === 'imported' && i % 4 === 1 ? 'sent' : state === 'imported' && i % 8 === 3 ? 'failed' : 'none',
      },
    )
  }
}

/** the expected ids: every row, filtered in JavaScript */
function oracle(all: BufferCustomerRow[], spec: ListSpec): number[] {
  return all
    .filter((r) => r.importId === spec.importId && spec.states.includes(r.state))
    .filter((r) => !spec.text || r.searchText.includes(spec.text))
    .filter((r) => !spec.codes?.length || spec.codes.some((c) => r.errorCodes.includes(` ${c} `)))
    .filter((r) => spec.notified === undefined || (r.notifyState === 'sent') === spec.notified)
    .map((r) => r.id)
}

/** every page from the first, following nextCursor; checks that each page has at most `limit` rows */
async function walkAll(orm: MikroORM, spec: ListSpec, limits: ListLimits) {
  const ids: number[] = []
  const via = new Set<string>()
  const totals: Array<{ total: number; capped: boolean }> = []
  let cursor: string | undefined
  for (let guard = 0; guard < 500; guard++) {
    const page = await listPage(orm.em.fork(), { ...spec, cursor }, limits)
    expect(page.ids.length).toBeLessThanOrEqual(spec.limit)
    ids.push(...page.ids)
    via.add(page.via)
    totals.push({ total: page.total, capped: page.totalCapped })
    if (!page.nextCursor) return { ids, totals, via }
    cursor = page.nextCursor
  }
  throw new Error('the list never ended')
}

const SPECS = (importId: number): Array<Omit<ListSpec, 'limit'>> => [
  { importId, states: storedStates(['pending']) },
  { importId, states: storedStates(['pending', 'failed', 'skipped']) },
  { importId, states: ['failed'] },
  { importId, states: storedStates(['pending', 'failed']), text: 'example.net' },
  { importId, states: storedStates(['pending', 'failed', 'skipped']), text: 'łódź' },
  { importId, states: storedStates(['pending', 'failed', 'skipped']), text: 'żak' },
  { importId, states: storedStates(['pending', 'failed', 'skipped']), text: 'anna_1' },
  // wildcard characters of LIKE are plain characters here
  { importId, states: storedStates(['pending', 'failed', 'skipped']), text: '100%' },
  { importId, states: storedStates(['pending', 'failed', 'skipped']), text: '"róża"' },
  { importId, states: storedStates(['pending', 'failed', 'skipped']), text: 'no such customer' },
  // 1–2 characters: below the trigram index, the bounded walk
  { importId, states: storedStates(['pending', 'failed', 'skipped']), text: 'ż' },
  { importId, states: storedStates(['pending', 'failed']), text: 'k@' },
  { importId, states: storedStates(['pending', 'failed', 'skipped']), codes: ['POSTCODE_INVALID'] },
  { importId, states: storedStates(['pending', 'failed', 'skipped']), codes: ['PHONE_INVALID', 'CITY_MISSING'] },
  { importId, states: ['failed'], codes: ['EMAIL_TAKEN', 'POSTCODE_INVALID'], text: 'warszawa' },
  { importId, states: ['imported'] },
  { importId, states: ['imported'], notified: true },
  { importId, states: ['imported'], notified: false },
  { importId, states: ['imported'], text: 'nowak' },
  { importId, states: ['imported'], notified: false, text: 'example' },
]

async function load(orm: MikroORM) {
  const em = orm.em.fork()
  // rows before the indexes exist (filled on the first ensure) and after (kept by the triggers)
  await em.insertMany(BufferCustomerEntity, rowsOf(1, 150))
  await ensureRawObjects(orm)
  await em.insertMany(BufferCustomerEntity, rowsOf(2, 40))
  await em.insertMany(BufferCustomerEntity, rowsOf(1, 250).slice(150))
  await spread(orm, 1)
  await spread(orm, 2)
  return em.fork().find(BufferCustomerEntity, {}, { orderBy: { id: 'asc' } })
}

/** Every filter, walked page by page, gives exactly the matching rows in id order, whichever budget. */
export async function pagesMatchAPlainFilter(orm: MikroORM, searchIndex: boolean): Promise<void> {
  const all = await load(orm)
  const tight = tightLimits()
  const drivers = new Set<string>()
  for (const spec of SPECS(1)) {
    const want = oracle(all, spec as ListSpec)
    for (const [limits, limit] of [[ROOMY, 7], [tight, 7], [tight, 50]] as const) {
      const got = await walkAll(orm, { ...spec, limit }, limits)
      expect(got.ids, `${JSON.stringify(spec)} with ${JSON.stringify(limits)}`).toEqual(want)
      for (const v of got.via) drivers.add(v)
      // a 3+ character search of a large state set walks the search index when there is one
      if (spec.text && [...spec.text].length >= 3 && !spec.codes && limits === tight && searchIndex) expect([...got.via]).toEqual(['search'])
      const first = got.totals[0]!
      if (first.capped) expect(first.total).toBeLessThanOrEqual(want.length)
      else expect(first.total, JSON.stringify(spec)).toBe(want.length)
      // later pages repeat the first page's total instead of counting again
      for (const t of got.totals) expect(t).toEqual(first)
    }
  }
  expect([...drivers].sort()).toEqual(searchIndex ? ['codes', 'search', 'states'] : ['codes', 'states'])
  // the other import's rows never show
  expect(oracle(all, { importId: 2, states: ['imported'], limit: 1 }).length).toBeGreaterThan(0)
  const other = await walkAll(orm, { importId: 2, states: storedStates(['pending', 'failed', 'skipped']), text: 'example.net', limit: 50 }, tight)
  expect(other.ids).toEqual(oracle(all, { importId: 2, states: storedStates(['pending', 'failed', 'skipped']), text: 'example.net', limit: 0 }))
}

/** Totals of filtered lists are bounded: at most countCap matches, at most countBudget rows read. */
export async function totalsAreBounded(orm: MikroORM): Promise<void> {
  const all = await load(orm)
  const spec: ListSpec = { importId: 1, states: storedStates(['pending', 'failed', 'skipped']), text: 'example.net', limit: 5 }
  const want = oracle(all, spec).length
  expect(want).toBeGreaterThan(30)
  const capped = await listPage(orm.em.fork(), spec, tightLimits({ pageRows: 1000, countRows: 1000, countCap: 30 }))
  expect({ total: capped.total, capped: capped.totalCapped }).toEqual({ total: 30, capped: true })
  const exact = await listPage(orm.em.fork(), spec, tightLimits({ pageRows: 1000, countRows: 1000, countCap: 1000 }))
  expect({ total: exact.total, capped: exact.totalCapped }).toEqual({ total: want, capped: false })
  // states alone: the kept counters, whatever the budget
  const pending = await listPage(orm.em.fork(), { importId: 1, states: storedStates(['pending']), limit: 5 }, tightLimits({ pageRows: 10, countRows: 1, countCap: 1 }))
  expect({ total: pending.total, capped: pending.totalCapped }).toEqual({ total: oracle(all, { importId: 1, states: storedStates(['pending']), limit: 0 }).length, capped: false })
}

/** "Import all matching" (bufferWhere) selects what the list shows for the same search. */
export async function importAllMatchesTheList(orm: MikroORM): Promise<void> {
  const all = await load(orm)
  for (const q of ['100%', 'anna_1', 'ŁÓDŹ', '"róża"']) {
    const states = storedStates(['pending', 'failed'])
    const where = bufferWhere(1, { q, state: ['pending', 'failed'] })
    const em = orm.em.fork()
    // reused as import all reuses it: count, then pages
    const n = await em.count(BufferCustomerEntity, where)
    const rows = await em.find(BufferCustomerEntity, { $and: [where, { id: { $gt: 0 } }] }, { orderBy: { id: 'asc' } })
    const want = oracle(all, { importId: 1, states, text: q.toLowerCase(), limit: 0 })
    expect(rows.map((r) => r.id), q).toEqual(want)
    expect(n).toBe(want.length)
  }
}
