/** The lists' side indexes on PostgreSQL (row and statement triggers, pg_trgm); skipped without TEST_DATABASE_URL. */
import { randomBytes } from 'node:crypto'
import { MikroORM } from '@mikro-orm/postgresql'
import { afterAll, beforeAll, beforeEach, describe, it } from 'vitest'
import { MODULE_ENTITIES } from '../index.ts'
import { existingRowsIndexedOnce, schemaToolsLeaveThemAlone, sideIndexesFollowEveryWrite } from './search.sql.cases.ts'

const URL_ = process.env.TEST_DATABASE_URL?.trim() || ''
const SCHEMA = `cm_search_${randomBytes(4).toString('hex')}`
const TRIGGERS = ['xcm_error_ins', 'xcm_error_upd', 'xcm_error_del', 'xcm_search_ins', 'xcm_search_upd', 'xcm_search_del']
const dropTriggers = () => TRIGGERS.map((t) => `drop trigger if exists ${t} on "${SCHEMA}".xcm_buffer_customer`)

describe.skipIf(!URL_)('list side indexes on PostgreSQL (triggers, pg_trgm)', () => {
  let orm: MikroORM
  beforeAll(async () => {
    orm = await MikroORM.init({ clientUrl: URL_, schema: SCHEMA, entities: MODULE_ENTITIES, allowGlobalContext: false, debug: false })
    await orm.em.getConnection().execute(`create schema if not exists "${SCHEMA}"`)
    await orm.schema.createSchema()
  })
  beforeEach(async () => {
    // each case starts before the module's first start
    for (const sql of dropTriggers()) await orm.em.getConnection().execute(sql)
    await orm.em.getConnection().execute(`drop table if exists "${SCHEMA}".xcm_buffer_error, "${SCHEMA}".xcm_buffer_search`)
    await orm.em.getConnection().execute(`truncate "${SCHEMA}".xcm_buffer_customer`)
  })
  afterAll(async () => {
    await orm?.em.getConnection().execute(`drop schema if exists "${SCHEMA}" cascade`)
    await orm?.close()
  })

  it('match the buffer after inserts, failures, retries, edits, skips and deletes', () => sideIndexesFollowEveryWrite(orm))
  it('index the rows already there when first created, once', () => existingRowsIndexedOnce(orm, dropTriggers()))
  it("leave the host's schema tools nothing to change", () => schemaToolsLeaveThemAlone(orm))
})
