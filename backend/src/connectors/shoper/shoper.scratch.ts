/**
 * The Shoper fetch's scratch table on disk (SQLite, beside the import's file): every address and
 * subscriber of the shop, and the users already handed out, so that a page of users is joined
 * to its addresses and newsletter rows without holding the shop in memory. It survives a restart
 * (the cursor's `seq` says which handed-out users count); a missing or foreign one is rebuilt.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import Database from 'better-sqlite3'

const SCHEMA_VERSION = '1'
const FILE = 'shoper-scratch.sqlite'

const norm = (email: string) => email.trim().toLowerCase()
/** empties the scratch (another fetch's, or an older schema's) */
const CLEAR = 'delete from addresses; delete from subscribers; delete from seen; delete from meta;'

export interface ShoperScratch {
  /** the stage a resource reached: pages read completely so far and the `count` then */
  staged(resource: StagedResource): { pages: number; count: number; done: boolean }
  setStaged(resource: StagedResource, s: { pages: number; count: number; done: boolean }): void
  rowCount(resource: StagedResource): number
  putAddresses(rows: Array<{ id: string; userId: string; row: unknown }>): void
  putSubscribers(rows: Array<{ id: string; email: string; active: boolean; row: unknown }>): void
  addressesOf(userIds: readonly string[]): unknown[]
  subscribersOf(emails: readonly string[]): unknown[]
  /** the highest user_id an address belongs to (users above it may have registered after staging) */
  maxAddressUserId(): number
  /** users handed out at `seq`; answers the ids that were new (each user is handed out once) */
  markSeen(users: Array<{ id: string; email: string }>, seq: number): Set<string>
  seenCount(): number
  /** forgets users handed out after `seq` (a page read but not checkpointed before a restart) */
  rollbackTo(seq: number): void
  /** active subscribers whose e-mail belongs to no user handed out */
  newsletterOnly(): number
  /** the owner the scratch was made for (the fetch's identity), to refuse someone else's */
  owner(): string | null
  reset(owner: string): void
  close(opts?: { remove?: boolean }): void
}

export type StagedResource = 'user-addresses' | 'subscribers'

/**
 * Opens the scratch in `dir` (made if missing), or in a fresh temp folder that close() removes
 * whatever `remove` says when no dir is given.
 */
export function openShoperScratch(dir: string | undefined): ShoperScratch {
  const own = dir === undefined
  const folder = dir ?? mkdtempSync(path.join(tmpdir(), 'cm-shoper-'))
  mkdirSync(folder, { recursive: true })
  const file = path.join(folder, FILE)
  let db: Database.Database
  try {
    db = new Database(file)
  } catch {
    rmSync(file, { force: true })
    db = new Database(file)
  }
  // a scratch: losing it to a crash costs a rebuild, never data; speed over durability
  db.pragma('journal_mode = MEMORY')
  db.pragma('synchronous = OFF')
  create(db)

  // prepared once: staged() and setStaged() run for every page
  const getMeta = db.prepare('select value from meta where key = ?')
  const setMeta = db.prepare('insert or replace into meta(key, value) values (?, ?)')
  const get = (key: string) => (getMeta.get(key) as { value: string } | undefined)?.value ?? null
  const set = (key: string, value: string) => setMeta.run(key, value)
  const putAddress = db.prepare('insert or replace into addresses(id, user_id, row) values (?, ?, ?)')
  const putSubscriber = db.prepare('insert or replace into subscribers(id, email, active, row) values (?, ?, ?, ?)')
  const putSeen = db.prepare('insert or ignore into seen(user_id, email, seq) values (?, ?, ?)')

  const inChunks = <T>(values: readonly string[], q: (marks: string) => string): T[] => {
    const out: T[] = []
    for (let i = 0; i < values.length; i += 500) {
      const part = values.slice(i, i + 500)
      out.push(...(db.prepare(q(part.map(() => '?').join(','))).all(...part) as T[]))
    }
    return out
  }

  return {
    staged: (r) => {
      const v = get(`staged:${r}`)
      return v ? (JSON.parse(v) as { pages: number; count: number; done: boolean }) : { pages: 0, count: 0, done: false }
    },
    setStaged: (r, s) => void set(`staged:${r}`, JSON.stringify(s)),
    rowCount: (r) => (db.prepare(`select count(*) as n from ${r === 'user-addresses' ? 'addresses' : 'subscribers'}`).get() as { n: number }).n,
    putAddresses: db.transaction((rows: Array<{ id: string; userId: string; row: unknown }>) => {
      for (const r of rows) putAddress.run(r.id, Number(r.userId), JSON.stringify(r.row))
    }),
    putSubscribers: db.transaction((rows: Array<{ id: string; email: string; active: boolean; row: unknown }>) => {
      for (const r of rows) putSubscriber.run(r.id, norm(r.email), r.active ? 1 : 0, JSON.stringify(r.row))
    }),
    addressesOf: (ids) =>
      inChunks<{ row: string }>([...new Set(ids)], (m) => `select row from addresses where user_id in (${m}) order by cast(id as integer)`).map((r) => JSON.parse(r.row) as unknown),
    subscribersOf: (emails) =>
      inChunks<{ row: string }>([...new Set(emails.map(norm).filter(Boolean))], (m) => `select row from subscribers where email in (${m}) order by cast(id as integer)`).map(
        (r) => JSON.parse(r.row) as unknown,
      ),
    maxAddressUserId: () => (db.prepare('select coalesce(max(user_id), 0) as m from addresses').get() as { m: number }).m,
    markSeen: db.transaction((users: Array<{ id: string; email: string }>, seq: number) => {
      const fresh = new Set<string>()
      for (const u of users) if (putSeen.run(u.id, norm(u.email), seq).changes > 0) fresh.add(u.id)
      return fresh
    }),
    seenCount: () => (db.prepare('select count(*) as n from seen').get() as { n: number }).n,
    rollbackTo: (seq) => void db.prepare('delete from seen where seq > ?').run(seq),
    newsletterOnly: () =>
      (
        db
          .prepare("select count(*) as n from subscribers s where s.active = 1 and not exists (select 1 from seen u where u.email = s.email and s.email <> '')")
          .get() as { n: number }
      ).n,
    owner: () => get('owner'),
    reset: (owner) => {
      db.exec(CLEAR)
      set('version', SCHEMA_VERSION)
      set('owner', owner)
    },
    close: (opts) => {
      db.close()
      if (own || opts?.remove) rmSync(own ? folder : file, { recursive: true, force: true })
    },
  }
}

function create(db: Database.Database): void {
  db.exec(`
    create table if not exists meta (key text primary key, value text not null);
    create table if not exists addresses (id text primary key, user_id integer not null, row text not null);
    create index if not exists addresses_user on addresses(user_id);
    create table if not exists subscribers (id text primary key, email text not null, active integer not null, row text not null);
    create index if not exists subscribers_email on subscribers(email);
    create table if not exists seen (user_id text primary key, email text not null, seq integer not null);
    create index if not exists seen_email on seen(email);
  `)
  const v = db.prepare("select value from meta where key = 'version'").get() as { value: string } | undefined
  if (v && v.value !== SCHEMA_VERSION) db.exec(CLEAR)
}
