/** The lists' side indexes on PostgreSQL (row and statement triggers, pg_trgm); skipped without TEST_DATABASE_URL. */
import type { MikroORM } from '@mikro-orm/postgresql'
import { afterAll, beforeAll, beforeEach, describe, it } from 'vitest'
import { moduleSchema, TEST_DATABASE_URL, type PgSchema } from '../../testing/pg-schema.ts'
import { existingRowsIndexedOnce, schemaToolsLeaveThemAlone, sideIndexesFollowEveryWrite } from './search.sql.cases.ts'

const TRIGGERS = ['xcm_error_ins', 'xcm_error_upd', 'xcm_error_del', 'xcm_search_ins', 'xcm_search_upd', 'xcm_search_del']
const dropTriggers = (schema: string) => TRIGGERS.map((t) => `drop trigger if exists ${t} on "${schema}".xcm_buffer_customer`)

describe.skipIf(!TEST_DATABASE_URL)('list side indexes on PostgreSQL (triggers, pg_trgm)', () => {
  let orm: MikroORM
  let pg: PgSchema | undefined
  let schema = ''
  beforeAll(async () => {
    pg = await moduleSchema('cm_search')
    orm = pg.orm
    schema = pg.schema
  })
  beforeEach(async () => {
    // each case starts before the module's first start
    for (const sql of dropTriggers(schema)) await orm.em.getConnection().execute(sql)
    await orm.em.getConnection().execute(`drop table if exists "${schema}".xcm_buffer_error, "${schema}".xcm_buffer_search`)
    await orm.em.getConnection().execute(`truncate "${schema}".xcm_buffer_customer`)
  })
  afterAll(() => pg?.drop())

  it('match the buffer after inserts, failures, retries, edits, skips and deletes', () => sideIndexesFollowEveryWrite(orm))
  it('index the rows already there when first created, once', () => existingRowsIndexedOnce(orm, dropTriggers(schema)))
  it("leave the host's schema tools nothing to change", () => schemaToolsLeaveThemAlone(orm))
})
