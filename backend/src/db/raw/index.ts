/**
 * Database objects MikroORM's schema tools do not describe (triggers, full-text and trigram
 * indexes), created by the module's start() for the host's dialect, inside one transaction per
 * concern. Each concern keeps its SQL in its own file here; each `ensure` is safe on every start
 * and fills what it derives from existing rows the first time it creates itself.
 */
import type { MikroORM } from '@mikro-orm/core'
import type { EntityManager as SqlEntityManager } from '@mikro-orm/knex'
import { countsObjects } from './counts.sql.ts'
import { searchObjects } from './search.sql.ts'

export type Dialect = 'sqlite' | 'postgresql'

export interface RawDb {
  dialect: Dialect
  /** a table or function name, schema-qualified and quoted on PostgreSQL */
  name(plain: string): string
  execute(sql: string, params?: unknown[]): Promise<void>
  rows<T>(sql: string, params?: unknown[]): Promise<T[]>
  /** whether the host's MikroORM schema tools skip this table (schemaGenerator.skipTables) */
  schemaToolsSkip(table: string): boolean
}

export interface RawObjects {
  name: string
  ensure(db: RawDb): Promise<void>
}

const ALL: RawObjects[] = [countsObjects, searchObjects]

export function dialectOf(orm: MikroORM): Dialect {
  return orm.em.getPlatform().constructor.name.toLowerCase().includes('postgre') ? 'postgresql' : 'sqlite'
}

// PostgreSQL: concurrent instances starting at once create and fill one after the other
const START_LOCK = 0x636d_7261

export async function ensureRawObjects(orm: MikroORM, objects: RawObjects[] = ALL): Promise<void> {
  const dialect = dialectOf(orm)
  const schema = dialect === 'postgresql' ? ((orm.config.get('schema') as string | undefined) ?? 'public') : null
  const skipTables = (orm.config.get('schemaGenerator') as { skipTables?: Array<string | RegExp> } | undefined)?.skipTables ?? []
  for (const o of objects) {
    await orm.em.fork().transactional(async (em) => {
      const sqlEm = em as unknown as SqlEntityManager
      const db: RawDb = {
        dialect,
        name: (plain) => (schema ? `"${schema}"."${plain}"` : `"${plain}"`),
        execute: async (sql, params = []) => {
          await sqlEm.execute(sql, params as never[], 'run')
        },
        rows: async <T,>(sql: string, params: unknown[] = []) => (await sqlEm.execute(sql, params as never[], 'all')) as T[],
        schemaToolsSkip: (table) => skipTables.some((t) => (typeof t === 'string' ? t.toLowerCase() === table.toLowerCase() : t.test(table))),
      }
      if (dialect === 'postgresql') await db.execute(`select pg_advisory_xact_lock(${START_LOCK})`)
      await o.ensure(db)
    })
  }
}
