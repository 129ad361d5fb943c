/**
 * Keyset pages and totals of Klienci niezaimportowani / zaimportowani that cost the same at 1,000
 * rows and at 1,000,000, on SQLite and PostgreSQL.
 *
 * A page walks one *driver* — an index read in id order past the cursor — and tests the other
 * filters on each row it meets:
 * - the error-code side table (one range per code) when the Błędy filter is set;
 * - the search index (FTS5 trigram / pg_trgm side table, db/raw/search.sql.ts) for a query of
 *   3+ characters, unless the chosen states hold few rows (the kept counts say so exactly);
 * - otherwise the (import_id, state, id) index, one range per state, merged.
 * Queries of 1–2 characters are below the trigram index: they test search_text row by row.
 * No page reads more than LIST_LIMITS allow (rows and milliseconds): a page that meets its budget
 * first ends early, with a cursor where it stopped — rare (a short search, a filter few rows
 * pass) — so no request scans a million rows or blocks the event loop behind SQLite.
 * Totals: states alone come from the kept counters (countsOf, O(1)); a search or error-code
 * filter is counted once, on its first page, going on from where the page stopped within the
 * same kind of budget and at most countCap matches (`totalCapped`: "co najmniej N"); later pages
 * carry that figure in their cursor instead of counting again.
 * The search matches the text literally (LIKE's `_` and `%` are plain characters), lower-cased
 * as searchText is.
 */
import { performance } from 'node:perf_hooks'
import type { EntityManager } from '@mikro-orm/core'
import type { EntityManager as SqlEntityManager } from '@mikro-orm/knex'
import type { Knex } from '@mikro-orm/knex'
import { countsOf } from './buffer.counts.ts'
import { BufferCustomerEntity, type BufferCustomerRow } from '../../db/buffer-customer.entity.ts'
import { ERROR_TABLE, SEARCH_TABLE } from '../../db/raw/search.sql.ts'
import { decodeListCursor, encodeListCursor, likeContains } from './buffer.query.ts'

export interface ListLimits {
  /** a page reads at most this many driver rows… */
  pageRows: number
  /** …and goes on reading for at most this long */
  pageMs: number
  /** a total counts at most this many matches… */
  countCap: number
  /** …reading at most this many rows past the first page… */
  countRows: number
  /** …for at most this long */
  countMs: number
  /** rows per query, so a time budget is looked at often */
  chunk: number
}
/**
 * A row the driver meets costs microseconds (SQLite) to a tenth of a millisecond (PostgreSQL with
 * a cold cache): a wide buffer row read for its state or text. So the budgets are mostly time, the
 * page's first (a full page matters more than an exact "co najmniej"): about 25 ms for the page and
 * 8 ms more for its total. A page of 50 usually needs a few hundred rows.
 */
export const LIST_LIMITS: ListLimits = { pageRows: 20_000, pageMs: 25, countCap: 10_000, countRows: 20_000, countMs: 8, chunk: 500 }
/** the search index matches substrings of at least this many characters (trigrams) */
export const INDEXED_QUERY_CHARS = 3

export interface ListSpec {
  importId: number
  /** stored states (`importing` already added to `pending`), at least one */
  states: string[]
  /** lower-cased search text */
  text?: string
  /** any of these error codes */
  codes?: string[]
  /** imported list: only notified (true) or only not notified (false) */
  notified?: boolean
  cursor?: string
  limit: number
}

export interface ListPageIds {
  ids: number[]
  nextCursor: string | null
  total: number
  /** `total` is a lower bound: counting stopped at countCap matches or at its budget */
  totalCapped: boolean
  /** the index the page walked (for tests and the bench) */
  via: Driver['via']
}

type Dialect = 'sqlite' | 'postgresql'
/** a driver's row: the id, and 1 when the row passes the filters the driver does not apply itself */
type Row = { id: number | string; hit: number | string }

interface Sql {
  dialect: Dialect
  buffer: string
  search: string
  errors: string
  all<T = Row>(sql: string, params: unknown[]): Promise<T[]>
  /**
   * PostgreSQL, a search chunk: the planner picks the trigram index (a rare text) or the id-ordered
   * walk (a common one) from its estimate of the LIKE; when it misjudges a common text as rare, the
   * index plan sorts every match. So the query gets PLAN_TIMEOUT_MS, and past that runs again as the
   * walk, which always makes progress.
   */
  guarded(sql: string, params: unknown[]): Promise<Row[]>
}

const PLAN_TIMEOUT_MS = 40

function sqlOf(em: EntityManager): Sql {
  const dialect: Dialect = em.getPlatform().constructor.name.toLowerCase().includes('postgre') ? 'postgresql' : 'sqlite'
  const schema = dialect === 'postgresql' ? ((em.config.get('schema') as string | undefined) ?? 'public') : null
  const name = (t: string) => (schema ? `"${schema}"."${t}"` : `"${t}"`)
  const conn = (em as unknown as SqlEntityManager).getConnection()
  const all = async <T,>(sql: string, params: unknown[]) => (await conn.execute(sql, params as never[], 'all')) as T[]
  const within = (settings: string[], sql: string, params: unknown[]) => readWithSettings(conn.getKnex(), settings, sql, params)
  return {
    dialect,
    buffer: name('xcm_buffer_customer'),
    search: name(SEARCH_TABLE),
    errors: name(ERROR_TABLE),
    all,
    async guarded(sql, params) {
      if (dialect === 'sqlite') return all(sql, params)
      try {
        return await within([`set local statement_timeout = ${PLAN_TIMEOUT_MS}`], sql, params)
      } catch (err) {
        if (!isStatementTimeout(err)) throw err
        // the walk in id order (no bitmap; and no sequential scan, which would sort a million rows)
        return within(['set local enable_bitmapscan = off', 'set local enable_seqscan = off'], sql, params)
      }
    },
  }
}

interface PgConnection {
  query(q: string | { text: string; values: unknown[] }): Promise<{ rows: Row[] }>
  /** knex's mark of a connection it must not hand out again (its pool destroys it on the next acquire) */
  __knex__disposed?: unknown
}

/**
 * One read in a transaction of its own, on a connection of its own, so that SET LOCAL settings
 * apply to it alone. Run by hand rather than through MikroORM's `transactional`: there, a read
 * cancelled by its statement timeout under heavy load once ended with knex's "Transaction query
 * already complete" and the connection went back to the pool inside the aborted transaction, so
 * every later query on it failed ("current transaction is aborted") — the lists, the panel's
 * sessions and the running import alike (seen at a million customers on PostgreSQL). Here a
 * failed read is rolled back, and a connection that cannot be rolled back is never reused.
 */
export async function readWithSettings(knex: Knex, settings: string[], sql: string, params: unknown[]): Promise<Row[]> {
  const client = knex.client as { acquireConnection(): Promise<PgConnection>; releaseConnection(c: PgConnection): Promise<unknown> }
  const native = knex.raw(sql, params as never[]).toSQL().toNative()
  const c = await client.acquireConnection()
  try {
    await c.query('begin')
    for (const s of settings) await c.query(s)
    const { rows } = await c.query({ text: native.sql, values: native.bindings as unknown[] })
    await c.query('commit')
    return rows
  } catch (err) {
    await c.query('rollback').catch((rollbackErr: unknown) => {
      c.__knex__disposed = rollbackErr
    })
    throw err
  } finally {
    await client.releaseConnection(c)
  }
}

/** PostgreSQL's "canceling statement due to statement timeout" (57014), as MikroORM hands it on */
export function isStatementTimeout(err: unknown): boolean {
  const e = err as { code?: string; message?: string; previous?: { code?: string } }
  return e.code === '57014' || e.previous?.code === '57014' || /statement timeout/i.test(e.message ?? '')
}

// ---- search index presence (absent: SQLite host without skipTables, PostgreSQL without pg_trgm)

const indexSeen = new WeakMap<object, { ok: boolean; at: number }>()

async function searchIndexed(sql: Sql, key: object): Promise<boolean> {
  const known = indexSeen.get(key)
  // present stays present; absent is asked again now and then (a later start may create it)
  if (known && (known.ok || Date.now() - known.at < 10_000)) return known.ok
  const rows =
    sql.dialect === 'sqlite'
      ? await sql.all<{ n: number }>(`select count(*) as n from sqlite_master where type = 'table' and name = ?`, [SEARCH_TABLE])
      : await sql.all<{ n: number }>(`select case when to_regclass(?) is null then 0 else 1 end as n`, [sql.search])
  const ok = Number(rows[0]?.n ?? 0) > 0
  indexSeen.set(key, { ok, at: Date.now() })
  return ok
}

// ---- drivers: each yields (id, hit) in id order past `after`, at most `n` rows

interface Query {
  text: string
  params: unknown[]
}
interface Driver {
  /** the search driver's queries go through Sql.guarded */
  guarded?: boolean
  via: 'states' | 'search' | 'codes'
  /** ordered streams merged: a query for n rows reads up to n from each */
  streams: number
  query(after: number, n: number): Query
}

const inList = (xs: unknown[]) => xs.map(() => '?').join(', ')
const bool = (sql: Sql, expr: string) => (sql.dialect === 'sqlite' ? `(${expr})` : `case when ${expr} then 1 else 0 end`)

/** tests on a buffer row `b`, for the filters the driver does not already apply */
function checksOf(sql: Sql, spec: ListSpec, applied: { states: boolean; text: boolean; importId: boolean }) {
  const parts: string[] = []
  const params: unknown[] = []
  if (!applied.importId) {
    parts.push('b.import_id = ?')
    params.push(spec.importId)
  }
  if (!applied.states) {
    parts.push(`b.state in (${inList(spec.states)})`)
    params.push(...spec.states)
  }
  if (spec.text && !applied.text) {
    parts.push(sql.dialect === 'sqlite' ? 'instr(b.search_text, ?) > 0' : 'strpos(b.search_text, ?) > 0')
    params.push(spec.text)
  }
  if (spec.notified === true) parts.push(`b.notify_state = 'sent'`)
  if (spec.notified === false) parts.push(`b.notify_state <> 'sent'`)
  return { expr: bool(sql, parts.length ? parts.join(' and ') : '1 = 1'), params }
}

/** ordered streams merged: each part's first n rows decide the union's first n */
function merged(parts: Query[], n: number): Query {
  if (parts.length === 1) return parts[0]!
  return {
    text: `${parts.map((p, i) => `select * from (${p.text}) as p${i}`).join(' union all ')} order by id limit ${n}`,
    params: parts.flatMap((p) => p.params),
  }
}

function stateDriver(sql: Sql, spec: ListSpec): Driver {
  const checks = checksOf(sql, spec, { states: true, text: false, importId: true })
  return {
    via: 'states',
    streams: spec.states.length,
    query: (after, n) =>
      merged(
        spec.states.map((state) => ({
          text: `select b.id as id, ${checks.expr} as hit from ${sql.buffer} b where b.import_id = ? and b.state = ? and b.id > ? order by b.id limit ${n}`,
          params: [...checks.params, spec.importId, state, after],
        })),
        n,
      ),
  }
}

function searchDriver(sql: Sql, spec: ListSpec, text: string): Driver {
  // the index holds every import's rows: the import is tested like the states, so another import's
  // matches count against the budget instead of stretching one query
  const checks = checksOf(sql, spec, { states: false, text: true, importId: false })
  if (sql.dialect === 'sqlite') {
    const phrase = `"${text.replace(/"/g, '""')}"`
    return {
      via: 'search',
      streams: 1,
      query: (after, n) => ({
        text: `select s.rowid as id, ${checks.expr} as hit from ${sql.search} s join ${sql.buffer} b on b.id = s.rowid
               where s.${sql.search} match ? and s.rowid > ? order by s.rowid limit ${n}`,
        params: [...checks.params, phrase, after],
      }),
    }
  }
  return {
    via: 'search',
    guarded: true,
    streams: 1,
    query: (after, n) => ({
      text: `select s.id as id, ${checks.expr} as hit from ${sql.search} s join ${sql.buffer} b on b.id = s.id
             where s.search_text like ? escape '\\' and s.id > ? order by s.id limit ${n}`,
      params: [...checks.params, likeContains(text), after],
    }),
  }
}

function errorDriver(sql: Sql, spec: ListSpec, codes: string[]): Driver {
  const checks = checksOf(sql, spec, { states: false, text: false, importId: true })
  return {
    via: 'codes',
    streams: codes.length,
    query(after, n) {
      const parts = codes.map((code) => ({
        text: `select e.buffer_id as id from ${sql.errors} e where e.import_id = ? and e.code = ? and e.buffer_id > ? order by e.buffer_id limit ${n}`,
        params: [spec.importId, code, after],
      }))
      // a customer with two of the chosen codes is one row
      const ids =
        parts.length === 1
          ? parts[0]!
          : { text: `${parts.map((p, i) => `select id from (${p.text}) as p${i}`).join(' union ')} order by id limit ${n}`, params: parts.flatMap((p) => p.params) }
      return {
        text: `select u.id as id, ${checks.expr} as hit from (${ids.text}) u join ${sql.buffer} b on b.id = u.id order by u.id`,
        params: [...checks.params, ...ids.params],
      }
    },
  }
}

// ---- the page and its total

const charCount = (s: string) => [...s].length

interface KeptRows {
  /** rows in the chosen states */
  chosen: number
}

async function chooseDriver(em: EntityManager, sql: Sql, spec: ListSpec, rows: () => Promise<KeptRows>, limits: ListLimits): Promise<Driver> {
  if (spec.codes?.length) return errorDriver(sql, spec, spec.codes)
  const text = spec.text
  // a small state set (the imported list early in an import) is cheaper to walk whole than to meet in the search index
  if (text && charCount(text) >= INDEXED_QUERY_CHARS && (await rows()).chosen > limits.pageRows && (await searchIndexed(sql, em.config))) {
    return searchDriver(sql, spec, text)
  }
  return stateDriver(sql, spec)
}

interface Walked {
  hits: number[]
  /** the last id read */
  last: number
  /** the driver has no rows past `last` */
  exhausted: boolean
}

/** reads driver rows until `want` hits, the end, or the budget (rows or milliseconds), in chunks growing fourfold */
async function walk(sql: Sql, driver: Driver, after: number, want: number, budget: { rows: number; ms: number; chunk: number }): Promise<Walked> {
  const hits: number[] = []
  const until = performance.now() + budget.ms
  let examined = 0
  let last = after
  // a page (want 51) reads 102 rows first; a count starts small too, so its time budget is looked at early
  let size = Math.max(100, Math.min(2 * want, 200))
  for (;;) {
    const n = Math.max(1, Math.min(size, Math.ceil(budget.chunk / driver.streams), budget.rows - examined))
    const q = driver.query(last, n)
    const rows = driver.guarded ? await sql.guarded(q.text, q.params) : await sql.all(q.text, q.params)
    for (const r of rows) {
      examined++
      last = Number(r.id)
      if (Number(r.hit) === 1) {
        hits.push(last)
        if (hits.length === want) return { hits, last, exhausted: false }
      }
    }
    if (rows.length < n) return { hits, last, exhausted: true }
    if (examined >= budget.rows || performance.now() >= until) return { hits, last, exhausted: false }
    size *= 4
  }
}

export async function listPage(em: EntityManager, spec: ListSpec, limits: ListLimits = LIST_LIMITS): Promise<ListPageIds> {
  const sql = sqlOf(em)
  const cursor = decodeListCursor(spec.cursor)
  let counts: Awaited<ReturnType<typeof countsOf>> | null = null
  const kept = async () => (counts ??= await countsOf(em, [spec.importId])).get(spec.importId)!
  const rows = async (): Promise<KeptRows> => {
    const c = await kept()
    // `importing` is counted inside pending
    const by: Record<string, number> = { pending: c.pending, failed: c.failed, skipped: c.skipped, imported: c.imported }
    return { chosen: spec.states.reduce((s, st) => s + (by[st] ?? 0), 0) }
  }
  const driver = await chooseDriver(em, sql, spec, rows, limits)
  const page = await walk(sql, driver, cursor?.after ?? 0, spec.limit + 1, { rows: limits.pageRows, ms: limits.pageMs, chunk: limits.chunk })
  const ids = page.hits.slice(0, spec.limit)

  const filtered = !!(spec.text || spec.codes?.length)
  let total: { n: number; capped: boolean }
  if (!filtered) {
    const c = await kept()
    total = { n: spec.notified === undefined ? (await rows()).chosen : spec.notified ? c.notified : Math.max(0, c.imported - c.notified), capped: false }
  } else if (cursor?.total != null) {
    total = { n: cursor.total, capped: cursor.capped }
  } else {
    // the first page counts on from where it stopped (another first page from a cursor counts from the start)
    const from = cursor ? { hits: [], last: 0, exhausted: false } : page
    const wanted = limits.countCap + 1 - from.hits.length
    const more =
      from.exhausted || wanted <= 0
        ? { hits: [], exhausted: from.exhausted }
        : await walk(sql, driver, from.last, wanted, { rows: limits.countRows, ms: limits.countMs, chunk: limits.chunk })
    const n = from.hits.length + more.hits.length
    total = n > limits.countCap ? { n: limits.countCap, capped: true } : { n, capped: !more.exhausted }
  }

  // the next page starts after the last row shown, or after the last row read when the budget ran out first
  const nextAfter = page.hits.length > spec.limit ? ids[ids.length - 1]! : page.exhausted ? null : page.last
  const carry = filtered ? total : null
  return { ids, nextCursor: nextAfter === null ? null : encodeListCursor(nextAfter, carry), total: total.n, totalCapped: total.capped, via: driver.via }
}

/**
 * The page's rows in id order. Read through the query builder, not as entities: hydrating 50 rows
 * with their JSON costs MikroORM about three times the query itself; the JSON columns are parsed
 * here (SQLite hands them over as text, PostgreSQL already parsed).
 */
export async function rowsByIds(em: EntityManager, ids: number[]): Promise<BufferCustomerRow[]> {
  if (ids.length === 0) return []
  const rows: Array<Record<string, unknown>> = await (em as unknown as SqlEntityManager)
    .createQueryBuilder(BufferCustomerEntity)
    .select('*')
    .where({ id: { $in: ids } })
    .orderBy({ id: 'asc' })
    .execute('all')
  const json = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : (v ?? null))
  return rows.map((r) => ({ ...r, data: json(r.data), edit: json(r.edit), errors: json(r.errors) })) as unknown as BufferCustomerRow[]
}
