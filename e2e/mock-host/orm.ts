/** The panel's MikroORM: its own entities plus the module's, on SQLite (default) or PostgreSQL. */
import fs from 'node:fs'
import path from 'node:path'
import type { EntityManager, EntitySchema, MikroORM } from '@mikro-orm/core'
import { MikroORM as SqliteOrm } from '@mikro-orm/better-sqlite'
import { MikroORM as PostgresOrm } from '@mikro-orm/postgresql'
import type { DbConfig } from './config.ts'
import { PANEL_ENTITIES } from './db/entities.ts'
import { SEARCH_SKIP_TABLES } from '@cm/backend'

/** What the ports need of the database: a fresh EntityManager per call (no global context). */
export interface PanelDb {
  fork(): EntityManager
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- entity schemas of any shape
export type AnyEntitySchema = EntitySchema<any, any>

export async function createPanelOrm(cfg: { db: DbConfig }, moduleEntities: AnyEntitySchema[] = []): Promise<MikroORM> {
  const entities = [...PANEL_ENTITIES, ...moduleEntities]
  // the module's FTS5 search tables are not MikroORM's to read (their untyped columns break its introspection)
  const common = { entities, allowGlobalContext: false, debug: false, discovery: { warnWhenNoEntities: false }, schemaGenerator: { skipTables: SEARCH_SKIP_TABLES } }
  let orm: MikroORM
  if (cfg.db.kind === 'postgresql') {
    const { url, schema } = cfg.db
    orm = await PostgresOrm.init({ ...common, clientUrl: url, schema })
    // updateSchema does not create the namespace itself
    await orm.em.getConnection().execute(`create schema if not exists "${schema}"`)
  } else {
    const file = cfg.db.path
    if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true })
    orm = await SqliteOrm.init({ ...common, dbName: file })
    // readers (lists, SSE) must not block behind the import's writes
    if (file !== ':memory:') await orm.em.getConnection().execute('pragma journal_mode = WAL')
  }
  // safe + no table drops: creates what is missing, never removes another owner's tables or columns
  await orm.schema.updateSchema({ safe: true, dropTables: false })
  return orm
}

export function panelDb(orm: MikroORM): PanelDb {
  return { fork: () => orm.em.fork() }
}
