import { MikroORM } from '@mikro-orm/better-sqlite'
import { afterEach, beforeEach, describe, it } from 'vitest'
import { MODULE_ENTITIES } from '../index.ts'
import { existingRowsCountedOnce, keptCountsFollowEveryWrite } from './counts.cases.ts'

describe('kept counts on SQLite (triggers)', () => {
  let orm: MikroORM
  beforeEach(async () => {
    orm = await MikroORM.init({ dbName: ':memory:', entities: MODULE_ENTITIES, allowGlobalContext: false, debug: false })
    await orm.schema.createSchema()
  })
  afterEach(() => orm.close())

  it('match a recount after inserts, claims, outcomes, skips, notifications and deletes', () => keptCountsFollowEveryWrite(orm))
  it('count the rows already there when the triggers are first created, once', () =>
    existingRowsCountedOnce(orm, ['drop trigger if exists xcm_count_ins', 'drop trigger if exists xcm_count_upd', 'drop trigger if exists xcm_count_del']))
})
