/** The notify stage's plain statements on SQLite (the PostgreSQL twin: notify.sql.postgres.test.ts). */
import { MikroORM } from '@mikro-orm/better-sqlite'
import { afterEach, beforeEach, describe, it } from 'vitest'
import { MODULE_ENTITIES } from '../../db/index.ts'
import { statementsRoundTrip } from './notify.sql.cases.ts'

describe('notify statements on SQLite', () => {
  let orm: MikroORM
  beforeEach(async () => {
    orm = await MikroORM.init({ dbName: ':memory:', entities: MODULE_ENTITIES, allowGlobalContext: false, debug: false })
    await orm.schema.createSchema()
  })
  afterEach(async () => orm?.close())

  it('claim, claimed rows, links, sent and failed: one transaction each, as the entities read them back', () => statementsRoundTrip(orm))
})
