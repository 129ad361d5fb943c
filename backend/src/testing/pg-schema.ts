/** The module's tables in a throwaway PostgreSQL schema (TEST_DATABASE_URL), for *.postgres.test.ts. */
import { randomBytes } from 'node:crypto'
import { MikroORM } from '@mikro-orm/postgresql'
import { MODULE_ENTITIES } from '../db/index.ts'

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL?.trim() || ''

export interface PgSchema {
  orm: MikroORM
  schema: string
  /** drops the schema and closes the connection */
  drop(): Promise<void>
}

export async function moduleSchema(prefix: string): Promise<PgSchema> {
  const schema = `${prefix}_${randomBytes(4).toString('hex')}`
  const orm = await MikroORM.init({ clientUrl: TEST_DATABASE_URL, schema, entities: MODULE_ENTITIES, allowGlobalContext: false, debug: false })
  await orm.em.getConnection().execute(`create schema if not exists "${schema}"`)
  await orm.schema.createSchema()
  return {
    orm,
    schema,
    async drop() {
      await orm.em.getConnection().execute(`drop schema if exists "${schema}" cascade`)
      await orm.close()
    },
  }
}
