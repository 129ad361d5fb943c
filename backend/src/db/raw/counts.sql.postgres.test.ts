/** The kept counters on PostgreSQL (statement triggers with transition tables); skipped without TEST_DATABASE_URL. */
import { randomBytes } from 'node:crypto'
import { MikroORM } from '@mikro-orm/postgresql'
import { afterAll, beforeAll, beforeEach, describe, it } from 'vitest'
import { MODULE_ENTITIES } from '../index.ts'
import { existingRowsCountedOnce, keptCountsFollowEveryWrite } from './counts.cases.ts'

const URL_ = process.env.TEST_DATABASE_URL?.trim() || ''
const SCHEMA = `cm_counts_${randomBytes(4).toString('hex')}`

describe.skipIf(!URL_)('kept counts on PostgreSQL (statement triggers)', () => {
  let orm: MikroORM
  beforeAll(async () => {
    orm = await MikroORM.init({ clientUrl: URL_, schema: SCHEMA, entities: MODULE_ENTITIES, allowGlobalContext: false, debug: false })
    await orm.em.getConnection().execute(`create schema if not exists "${SCHEMA}"`)
    await orm.schema.createSchema()
  })
  beforeEach(async () => {
    await orm.em.getConnection().execute(`truncate "${SCHEMA}".xcm_buffer_customer, "${SCHEMA}".xcm_import_count`)
  })
  afterAll(async () => {
    await orm?.em.getConnection().execute(`drop schema if exists "${SCHEMA}" cascade`)
    await orm?.close()
  })

  it('match a recount after inserts, claims, outcomes, skips, notifications and deletes', () => keptCountsFollowEveryWrite(orm))
  it('count the rows already there when the triggers are first created, once', () =>
    existingRowsCountedOnce(orm, ['xcm_count_ins', 'xcm_count_upd', 'xcm_count_del'].map((t) => `drop trigger if exists ${t} on "${SCHEMA}".xcm_buffer_customer`)))
})
