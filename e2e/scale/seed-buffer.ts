/**
 * One import in status `buffered` with N buffer rows, in a mock host's data folder, fast:
 * 1. the host's ORM creates the panel's and the module's tables (createPanelOrm, as the mock host
 *    does) and writes the import row, so every column is as the product writes it;
 * 2. the rows go in by better-sqlite3 in one transaction (insertRows): 10,000 customers drawn and
 *    made into rows by the product's newBufferRow (derived columns included), the rest copies of
 *    them under their own ids — all before the module's own objects exist;
 * 3. the mock host starts once without listening: the module's start() (ensureRawObjects) creates
 *    the kept counts, the error-code and the search indexes and fills them from the rows there,
 *    as on a host's first start with the module's new objects. That bulk fill is the module's own
 *    code path; firing its per-row triggers a million times instead cost about 300 µs a row here
 *    (counts, error codes and FTS5 together, on the shared machine): 5 minutes.
 */
import fs from 'node:fs'
import { performance } from 'node:perf_hooks'
import Database from 'better-sqlite3'
import { emptyGenerationDetails } from '@cm/contracts'
import { ImportEntity, MODULE_ENTITIES } from '../../backend/src/db/index.ts'
import { newBufferRow } from '../../backend/src/pipeline/buffer/buffer.rows.ts'
import { createMockHost } from '../mock-host/app.ts'
import { loadConfig, type HostConfig } from '../mock-host/config.ts'
import { createPanelOrm } from '../mock-host/orm.ts'
import { SEED_SHOPS } from '../mock-host/seed.ts'
import { errorCodesOf, scaleRow } from './scale-customers.ts'
import { scaleHostEnv, type SeedReport } from './scale-host.ts'

const BUFFER = 'xcm_buffer_customer'
export const SCALE_DOMAIN = 'sklep-milion.example.pl'
const SHOP_IDS = SEED_SHOPS.slice(0, 2).map((s) => s.id)
/** how many distinct rows are drawn; the rest are copies of them under their own ids */
export const DRAWN_ROWS = 10_000
/** the source id of a drawn row: letters only, so it survives the e-mail, login and search-text derivations as is */
export const ID_PLACEHOLDER = 'qzidzq'
/** the columns that hold the source id: the copy writes its own id there */
const ID_COLUMNS = new Set(['source_id', 'email_lower', 'search_text', 'login', 'data'])

/** how the ORM hands values to SQLite: JSON as text, booleans as 0/1, dates as epoch ms */
const sqlValue = (v: unknown) =>
  v === undefined || v === null ? null : v instanceof Date ? v.getTime() : typeof v === 'boolean' ? (v ? 1 : 0) : typeof v === 'object' ? JSON.stringify(v) : v

/** The tables, and the import the rows belong to, written by the host's ORM. */
async function prepareTables(cfg: HostConfig, rows: number): Promise<number> {
  const orm = await createPanelOrm(cfg, MODULE_ENTITIES)
  try {
    const em = orm.em.fork()
    const now = new Date()
    const started = new Date(now.getTime() - 40 * 60_000)
    const imp = em.create(ImportEntity, {
      platform: 'shoper',
      domain: SCALE_DOMAIN,
      origin: 'source',
      shopIds: SHOP_IDS,
      status: 'buffered',
      credentials: null,
      fetched: rows,
      total: rows,
      generation: { ...emptyGenerationDetails(), startedAt: started.toISOString(), finishedAt: now.toISOString(), pagesFetched: Math.ceil(rows / 50), requests: Math.ceil(rows / 50), customersWritten: rows },
      verification: { ok: true, errors: [], customers: rows, finishedAt: now.toISOString() },
      fileCustomers: rows,
      createdBy: 'admin',
    })
    await em.flush()
    return imp.id
  } finally {
    await orm.close()
  }
}

/** The module's first start on these rows: its start() creates and fills its own objects; the panel is seeded too. */
async function startModuleOnce(cfg: HostConfig): Promise<void> {
  const host = await createMockHost(cfg, { log: () => undefined })
  try {
    await host.start({ listen: false })
  } finally {
    await host.close()
  }
}

function objectsPresent(db: Database.Database): { searchIndex: boolean; errorIndex: boolean; counts: boolean } {
  const has = (type: string, name: string) => !!db.prepare('select 1 from sqlite_master where type = ? and name = ?').get(type, name)
  return { searchIndex: has('table', 'xcm_buffer_search'), errorIndex: has('table', 'xcm_buffer_error'), counts: has('trigger', 'xcm_count_ins') }
}

function withDb<T>(file: string, fn: (db: Database.Database) => T): T {
  const db = new Database(file)
  try {
    return fn(db)
  } finally {
    db.close()
  }
}

/** The product's row for the customer drawn at `drawn`, with this source id (what the seed writes, column by column). */
export function bufferRowFor(importId: number, drawn: number, position: number, sourceId: string, now: Date): Record<string, unknown> {
  const r = scaleRow(drawn, importId, SHOP_IDS, sourceId)
  return { ...newBufferRow(importId, position, r.customer, now), state: r.state, errors: r.errors, errorCodes: errorCodesOf(r.errors) }
}

/** the entity's field behind a column (import_id → importId) */
export const fieldOf = (column: string) => column.replace(/_([a-z])/g, (_, ch: string) => ch.toUpperCase())

/**
 * The rows, in one transaction: DRAWN_ROWS rows built by newBufferRow (with the id placeholder)
 * into a temporary table, then copied in SQL, DRAWN_ROWS at a time, each copy with its own id put
 * in place of the placeholder — row n is drawn row n mod DRAWN_ROWS with source id n + 1, the same
 * as newBufferRow would give (seed-buffer.test.ts holds the two side by side). The table's own
 * indexes are dropped for the load and made again from their stored definitions: one sorted
 * build each instead of a million random B-tree inserts (the unique one still refuses a duplicate).
 */
function insertRows(db: Database.Database, importId: number, rows: number, drawnRows: number): void {
  const cols = (db.prepare(`pragma table_info(${BUFFER})`).all() as Array<{ name: string }>).map((c) => c.name).filter((c) => c !== 'id')
  const fields = cols.map(fieldOf)
  const indexes = db.prepare(`select name, sql from sqlite_master where type = 'index' and tbl_name = ? and sql is not null`).all(BUFFER) as Array<{ name: string; sql: string }>
  const drawn = Math.min(rows, drawnRows)
  const now = new Date()
  db.transaction(() => {
    for (const ix of indexes) db.exec(`drop index "${ix.name}"`)
    db.exec(`create temp table scale_drawn as select ${cols.join(', ')} from ${BUFFER} where 0`)
    const draw = db.prepare(`insert into scale_drawn (rowid, ${cols.join(', ')}) values (?, ${cols.map(() => '?').join(', ')})`)
    for (let i = 0; i < drawn; i++) {
      const row = bufferRowFor(importId, i, 0, ID_PLACEHOLDER, now)
      if (i === 0) {
        // a column the product added since: say so instead of writing a row the product would not
        const missing = cols.filter((_, k) => !(fields[k]! in row))
        if (missing.length) throw new Error(`seed-buffer: no value for ${missing.join(', ')} (the buffer table changed; update e2e/scale/seed-buffer.ts)`)
      }
      draw.run(i, ...fields.map((f) => sqlValue(row[f])))
    }
    // JS numbers bind as REAL: cast, or the ids would read "1.0"
    const position = 'cast(@first + d.rowid as integer)'
    const value = (c: string) => (c === 'position' ? position : ID_COLUMNS.has(c) ? `replace(d.${c}, '${ID_PLACEHOLDER}', ${position} + 1)` : `d.${c}`)
    const copy = db.prepare(`insert into ${BUFFER} (${cols.join(', ')}) select ${cols.map(value).join(', ')} from scale_drawn d where d.rowid < @count order by d.rowid`)
    for (let first = 0; first < rows; first += drawn) copy.run({ first, count: Math.min(drawn, rows - first) })
    db.exec('drop table scale_drawn')
    for (const ix of indexes) db.exec(ix.sql)
  })()
}

/** `drawn`: how many distinct rows (tests draw fewer, to see copies in a small seed) */
export async function seedBuffer(dataDir: string, rows: number, opts: { drawn?: number } = {}): Promise<SeedReport> {
  const cfg = loadConfig({ ...scaleHostEnv(dataDir), PORT: '0', SMTP_PORT: '0' })
  if (cfg.db.kind !== 'sqlite') throw new Error('seed-buffer: the scale host runs on its SQLite file')
  const file = cfg.db.path
  const t0 = performance.now()
  const importId = await prepareTables(cfg, rows)
  const t1 = performance.now()
  withDb(file, (db) => {
    // nobody else has the file open: a rollback journal writes each new page once, WAL twice
    db.pragma('journal_mode = DELETE')
    db.pragma('synchronous = OFF')
    db.pragma('cache_size = -262144')
    insertRows(db, importId, rows, opts.drawn ?? DRAWN_ROWS)
    db.pragma('journal_mode = WAL')
  })
  const t2 = performance.now()
  await startModuleOnce(cfg)
  const t3 = performance.now()
  return withDb(file, (db) => {
    const present = objectsPresent(db)
    if (!present.counts) throw new Error('seed-buffer: the kept-count triggers are missing (did the module start?)')
    const counts = Object.fromEntries(
      (db.prepare('select bucket, n from xcm_import_count where import_id = ?').all(importId) as Array<{ bucket: string; n: number }>).map((r) => [r.bucket, r.n]),
    )
    const kept = Object.values(counts).reduce((a, b) => a + b, 0) - (counts.notified ?? 0)
    if (kept !== rows) throw new Error(`seed-buffer: the kept counts say ${kept} rows, ${rows} were inserted`)
    db.pragma('wal_checkpoint(TRUNCATE)')
    // one waiting customer near the end, for a search that matches one row
    const late = db.prepare(`select email_lower as email from ${BUFFER} where import_id = ? and id >= ? and state = 'pending' order by id limit 1`).get(importId, Math.max(1, rows - 1234)) as { email: string }
    return {
      importId,
      rows,
      counts,
      searchIndex: present.searchIndex,
      errorIndex: present.errorIndex,
      seconds: { tables: secs(t1 - t0), rows: secs(t2 - t1), moduleStart: secs(t3 - t2), total: secs(performance.now() - t0) },
      fileMB: Math.round(fs.statSync(file).size / 1024 / 1024),
      samples: { email: late.email },
    }
  })
}

const secs = (ms: number) => Math.round(ms / 100) / 10
