/** A started module on in-memory SQLite and a real bree, for API tests through app.request(). */
import { MikroORM } from '@mikro-orm/better-sqlite'
import Bree from 'bree'
import { createCustomerMigrationModule } from '../module.ts'
import type { ModulePorts } from '../ports.ts'
import { createMemoryPorts } from './memory-ports.ts'
import { SEARCH_SKIP_TABLES } from '../db/raw/search.sql.ts'
import { removeTempDir } from './temp-dir.ts'

export interface TestModuleOptions {
  /** a SQLite file instead of memory: a restart on the same file, or a test that reads the file itself */
  dbName?: string
}

export async function startTestModule(overrides: Partial<ModulePorts> = {}, opts: TestModuleOptions = {}) {
  const { ports, panel } = createMemoryPorts(overrides)
  const module = createCustomerMigrationModule(ports)
  const dbName = opts.dbName ?? ':memory:'
  // as a host must: the schema tools leave the FTS5 search tables alone (their introspection cannot read them)
  const orm = await MikroORM.init({ dbName, entities: module.entities, allowGlobalContext: false, debug: false, schemaGenerator: { skipTables: SEARCH_SKIP_TABLES } })
  // a file from an earlier start keeps its schema and rows
  const existing = await orm.em.fork().getConnection().execute<Array<{ n: number }>>(`select count(*) as n from sqlite_master where type = 'table' and name = 'xcm_import'`)
  if (Number(existing[0]?.n ?? 0) === 0) await orm.schema.createSchema()
  const bree = new Bree({ root: false, logger: false, acceptedExtensions: ['.ts', '.js', '.mjs'], jobs: [] })
  await module.start({ orm, bree })
  const request = (user: string | null, path: string, init: RequestInit = {}) => {
    const headers = new Headers(init.headers)
    if (user) headers.set('x-test-user', user)
    if (init.body && typeof init.body === 'string') headers.set('content-type', 'application/json')
    return module.app.request(path, { ...init, headers })
  }
  const json = async <T = unknown>(user: string | null, path: string, init: RequestInit = {}) => {
    const res = await request(user, path, init)
    return { status: res.status, body: (await res.json()) as T }
  }
  /** polls until `check` holds (jobs run in workers); no fixed sleeps */
  const waitFor = async <T>(fn: () => Promise<T>, check: (v: T) => boolean, timeoutMs = 20_000): Promise<T> => {
    const until = Date.now() + timeoutMs
    for (;;) {
      const v = await fn()
      if (check(v)) return v
      if (Date.now() > until) throw new Error(`condition not met in ${timeoutMs} ms: ${JSON.stringify(v).slice(0, 500)}`)
      await new Promise((r) => setTimeout(r, 50))
    }
  }
  const close = async () => {
    await module.stop()
    await bree.stop()
    await orm.close()
    if (!overrides.storage) removeTempDir(ports.storage.dir)
  }
  return { module, orm, bree, ports, panel, request, json, waitFor, close }
}
