/** The kept counters on PostgreSQL (statement triggers with transition tables); skipped without TEST_DATABASE_URL. */
import type { MikroORM } from '@mikro-orm/postgresql'
import { afterAll, beforeAll, beforeEach, describe, it } from 'vitest'
import { moduleSchema, TEST_DATABASE_URL, type PgSchema } from '../../testing/pg-schema.ts'
import { existingRowsCountedOnce, keptCountsFollowEveryWrite } from './counts.cases.ts'

describe.skipIf(!TEST_DATABASE_URL)('kept counts on PostgreSQL (statement triggers)', () => {
  let orm: MikroORM
  let pg: PgSchema | undefined
  beforeAll(async () => {
    pg = await moduleSchema('cm_counts')
    orm = pg.orm
  })
  beforeEach(async () => {
    await orm.em.getConnection().execute(`truncate "${pg!.schema}".xcm_buffer_customer, "${pg!.schema}".xcm_import_count`)
  })
  afterAll(() => pg?.drop())

  it('match a recount after inserts, claims, outcomes, skips, notifications and deletes', () => keptCountsFollowEveryWrite(orm))
  it('count the rows already there when the triggers are first created, once', () =>
    existingRowsCountedOnce(orm, ['xcm_count_ins', 'xcm_count_upd', 'xcm_count_del'].map((t) => `drop trigger if exists ${t} on "${pg!.schema}".xcm_buffer_customer`)))
})
