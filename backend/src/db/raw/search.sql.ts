/**
 * Indexes of the two customer lists that MikroORM cannot describe, kept in sync by triggers from
 * the buffer's own columns, so no writer (verify, import, edit, cleanup) knows they exist:
 * - xcm_buffer_error (import_id, code, buffer_id): one row per code in `error_codes` (" A B "),
 *   so the Błędy filter walks one B-tree range per code in id order instead of a LIKE scan.
 * - xcm_buffer_search: the search box's substring index over `search_text`. SQLite: an FTS5
 *   table with the trigram tokenizer (contentless, rows deleted by id). PostgreSQL: a side table
 *   (id, search_text) with a pg_trgm GIN index — a side table because MikroORM's updateSchema
 *   drops any index on an entity's table that the entity does not declare.
 * Both dialects degrade to the bounded scan of buffer.list.ts when the search index cannot exist:
 * SQLite when the host's schema tools would read the FTS5 tables (their untyped columns crash
 * MikroORM's introspection: the host must list SEARCH_SKIP_TABLES in schemaGenerator.skipTables),
 * PostgreSQL when pg_trgm is neither installed nor installable by the module's user.
 */
import type { RawDb, RawObjects } from './index.ts'

const BUFFER = 'xcm_buffer_customer'
export const ERROR_TABLE = 'xcm_buffer_error'
export const SEARCH_TABLE = 'xcm_buffer_search'
/** the FTS5 table and its shadow tables (contentless): what a SQLite host's schema tools must skip */
export const SEARCH_SKIP_TABLES = [SEARCH_TABLE, ...['data', 'idx', 'docsize', 'config'].map((s) => `${SEARCH_TABLE}_${s}`)]

const ERROR_TRIGGERS = ['xcm_error_ins', 'xcm_error_upd', 'xcm_error_del']
const SEARCH_TRIGGERS = ['xcm_search_ins', 'xcm_search_upd', 'xcm_search_del']

async function triggersPresent(db: RawDb, names: string[]): Promise<number> {
  const list = names.map((t) => `'${t}'`).join(', ')
  const rows =
    db.dialect === 'sqlite'
      ? await db.rows<{ n: number }>(`select count(*) as n from sqlite_master where type = 'trigger' and name in (${list})`)
      : await db.rows<{ n: number }>(`select count(*)::int as n from pg_trigger where not tgisinternal and tgname in (${list}) and tgrelid = '${db.name(BUFFER)}'::regclass`)
  return Number(rows[0]?.n ?? 0)
}

/** a token of error_codes that is a code; junk in the column is never indexed, and never fails a write */
const IS_CODE = {
  sqlite: (v: string) => `${v} <> '' and ${v} not glob '*[^A-Z0-9_]*'`,
  postgresql: (v: string) => `${v} ~ '^[A-Z0-9_]+$'`,
}

async function tableExists(db: RawDb, table: string): Promise<boolean> {
  const rows =
    db.dialect === 'sqlite'
      ? await db.rows<{ n: number }>(`select count(*) as n from sqlite_master where type = 'table' and name = '${table}'`)
      : await db.rows<{ n: number }>(`select count(*)::int as n from pg_class where oid = to_regclass('${db.name(table)}')`)
  return Number(rows[0]?.n ?? 0) > 0
}

/** installed whole: every trigger and the table they write (a partial install is filled again) */
async function complete(db: RawDb, triggers: string[], table: string): Promise<boolean> {
  return (await triggersPresent(db, triggers)) === triggers.length && (await tableExists(db, table))
}

// ---- SQLite

/** " A  B " as a JSON array text ('["A","","B"]'); codes are [A-Z0-9_] names, anything else is never indexed */
const codesJson = (col: string) => `'["' || replace(trim(${col}), ' ', '","') || '"]'`
const codesOf = (col: string) => `json_each(case when json_valid(${codesJson(col)}) then ${codesJson(col)} else '[]' end)`

function sqliteErrors(db: RawDb): string[] {
  const err = db.name(ERROR_TABLE)
  const buffer = db.name(BUFFER)
  const add = (who: 'new') =>
    `insert or ignore into ${err} (import_id, code, buffer_id) select ${who}.import_id, value, ${who}.id from ${codesOf(`${who}.error_codes`)} where ${IS_CODE.sqlite('value')};`
  const remove = (who: 'old') => `delete from ${err} where import_id = ${who}.import_id and buffer_id = ${who}.id and code in (select value from ${codesOf(`${who}.error_codes`)});`
  return [
    `create table if not exists ${err} (import_id integer not null, code text not null, buffer_id integer not null, primary key (import_id, code, buffer_id)) without rowid`,
    `create trigger if not exists xcm_error_ins after insert on ${buffer} when new.error_codes <> '' begin ${add('new')} end`,
    `create trigger if not exists xcm_error_del after delete on ${buffer} when old.error_codes <> '' begin ${remove('old')} end`,
    `create trigger if not exists xcm_error_upd after update of error_codes, import_id on ${buffer}
       when old.error_codes is not new.error_codes or old.import_id is not new.import_id
       begin ${remove('old')} ${add('new')} end`,
  ]
}

function sqliteSearch(db: RawDb): string[] {
  const s = db.name(SEARCH_TABLE)
  const buffer = db.name(BUFFER)
  return [
    // the text is lower-cased by the writer (searchTextOf) and so is the query: case_sensitive 1 matches exactly what LIKE did
    `create virtual table if not exists ${s} using fts5(search_text, content='', contentless_delete=1, tokenize='trigram case_sensitive 1')`,
    `create trigger if not exists xcm_search_ins after insert on ${buffer} begin insert into ${s} (rowid, search_text) values (new.id, new.search_text); end`,
    `create trigger if not exists xcm_search_del after delete on ${buffer} begin delete from ${s} where rowid = old.id; end`,
    `create trigger if not exists xcm_search_upd after update of search_text on ${buffer} when old.search_text is not new.search_text
       begin delete from ${s} where rowid = old.id; insert into ${s} (rowid, search_text) values (new.id, new.search_text); end`,
  ]
}

async function ensureSqlite(db: RawDb): Promise<void> {
  const errorsComplete = await complete(db, ERROR_TRIGGERS, ERROR_TABLE)
  for (const sql of sqliteErrors(db)) await db.execute(sql)
  if (!errorsComplete) await refillErrors(db, `${codesOf('b.error_codes')} c`, 'c.value')

  if (!SEARCH_SKIP_TABLES.every((t) => db.schemaToolsSkip(t))) return
  const searchComplete = await complete(db, SEARCH_TRIGGERS, SEARCH_TABLE)
  for (const sql of sqliteSearch(db)) await db.execute(sql)
  if (searchComplete) return
  const s = db.name(SEARCH_TABLE)
  await db.execute(`insert into ${s} (${s}) values ('delete-all')`)
  await db.execute(`insert into ${s} (rowid, search_text) select id, search_text from ${db.name(BUFFER)}`)
}

/** first start with the triggers (or after a partial install): derive the rows from what is there, once */
async function refillErrors(db: RawDb, codesFrom: string, codeCol: string): Promise<void> {
  const err = db.name(ERROR_TABLE)
  await db.execute(`delete from ${err}`)
  const conflict = db.dialect === 'sqlite' ? 'insert or ignore into' : 'insert into'
  await db.execute(
    `${conflict} ${err} (import_id, code, buffer_id) select b.import_id, ${codeCol}, b.id from ${db.name(BUFFER)} b, ${codesFrom}
     where b.error_codes <> '' and ${IS_CODE[db.dialect](codeCol)}${db.dialect === 'postgresql' ? ' on conflict do nothing' : ''}`,
  )
}

// ---- PostgreSQL

const pgCodes = (col: string) => `unnest(string_to_array(btrim(${col}), ' '))`

function postgresErrors(db: RawDb): string[] {
  const err = db.name(ERROR_TABLE)
  const buffer = db.name(BUFFER)
  const fn = db.name('xcm_error_sync')
  return [
    `create table if not exists ${err} (import_id integer not null, code text not null, buffer_id integer not null, primary key (import_id, code, buffer_id))`,
    `create or replace function ${fn}() returns trigger language plpgsql as $fn$
     begin
       if tg_op in ('UPDATE', 'DELETE') then
         delete from ${err} where import_id = old.import_id and buffer_id = old.id and code = any(string_to_array(btrim(old.error_codes), ' '));
       end if;
       if tg_op in ('UPDATE', 'INSERT') then
         insert into ${err} (import_id, code, buffer_id) select new.import_id, c, new.id from ${pgCodes('new.error_codes')} c where ${IS_CODE.postgresql('c')} on conflict do nothing;
       end if;
       return null;
     end $fn$`,
    // row triggers with WHEN: a row whose codes did not change (a claim, an import, a mail) costs no call
    `create or replace trigger xcm_error_ins after insert on ${buffer} for each row when (new.error_codes <> '') execute function ${fn}()`,
    `create or replace trigger xcm_error_del after delete on ${buffer} for each row when (old.error_codes <> '') execute function ${fn}()`,
    `create or replace trigger xcm_error_upd after update of error_codes, import_id on ${buffer} for each row
       when (old.error_codes is distinct from new.error_codes or old.import_id is distinct from new.import_id) execute function ${fn}()`,
  ]
}

function postgresSearch(db: RawDb): string[] {
  const s = db.name(SEARCH_TABLE)
  const buffer = db.name(BUFFER)
  const fn = (name: string, body: string) => `create or replace function ${db.name(name)}() returns trigger language plpgsql as $fn$ begin ${body} return null; end $fn$`
  return [
    `create table if not exists ${s} (id integer primary key, search_text text not null)`,
    // the buffer load inserts in batches: one statement-level call per batch, not one per row
    fn('xcm_search_ins_fn', `insert into ${s} (id, search_text) select id, search_text from new_rows on conflict (id) do update set search_text = excluded.search_text;`),
    fn('xcm_search_del_fn', `delete from ${s} s using old_rows o where s.id = o.id;`),
    fn('xcm_search_upd_fn', `update ${s} set search_text = new.search_text where id = new.id;`),
    `create or replace trigger xcm_search_ins after insert on ${buffer} referencing new table as new_rows for each statement execute function ${db.name('xcm_search_ins_fn')}()`,
    `create or replace trigger xcm_search_del after delete on ${buffer} referencing old table as old_rows for each statement execute function ${db.name('xcm_search_del_fn')}()`,
    `create or replace trigger xcm_search_upd after update of search_text on ${buffer} for each row
       when (old.search_text is distinct from new.search_text) execute function ${db.name('xcm_search_upd_fn')}()`,
  ]
}

/** pg_trgm's schema, installing it if this user may (a trusted extension since PostgreSQL 13); null when unavailable */
async function trigramSchema(db: RawDb): Promise<string | null> {
  const find = async () =>
    (await db.rows<{ nspname: string }>(`select n.nspname from pg_extension e join pg_namespace n on n.oid = e.extnamespace where e.extname = 'pg_trgm'`))[0]?.nspname ?? null
  const found = await find()
  if (found) return found
  await db.execute('savepoint xcm_trgm')
  try {
    // the default schema (public), never ours: dropping the module's schema must not drop a database-wide extension
    await db.execute('create extension if not exists pg_trgm')
    await db.execute('release savepoint xcm_trgm')
  } catch {
    await db.execute('rollback to savepoint xcm_trgm')
    return null
  }
  return find()
}

async function ensurePostgres(db: RawDb): Promise<void> {
  const errorsComplete = await complete(db, ERROR_TRIGGERS, ERROR_TABLE)
  for (const sql of postgresErrors(db)) await db.execute(sql)
  if (!errorsComplete) await refillErrors(db, `${pgCodes('b.error_codes')} c`, 'c')

  const trgm = await trigramSchema(db)
  if (!trgm) return
  const searchComplete = await complete(db, SEARCH_TRIGGERS, SEARCH_TABLE)
  for (const sql of postgresSearch(db)) await db.execute(sql)
  const s = db.name(SEARCH_TABLE)
  if (!searchComplete) {
    await db.execute(`truncate ${s}`)
    await db.execute(`insert into ${s} (id, search_text) select id, search_text from ${db.name(BUFFER)}`)
  }
  // built after the fill: one sorted build instead of a million inserts into the GIN
  await db.execute(`create index if not exists "${SEARCH_TABLE}_trgm" on ${s} using gin (search_text "${trgm.replace(/"/g, '""')}".gin_trgm_ops)`)
}

export const searchObjects: RawObjects = {
  name: 'list search and error-code indexes',
  ensure: (db) => (db.dialect === 'sqlite' ? ensureSqlite(db) : ensurePostgres(db)),
}
