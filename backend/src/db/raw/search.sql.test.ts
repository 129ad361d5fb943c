/** The lists' side indexes on SQLite: the error-code table and the FTS5 trigram search table. */
import { MikroORM } from '@mikro-orm/better-sqlite'
import { afterEach, describe, expect, it } from 'vitest'
import { MODULE_ENTITIES } from '../index.ts'
import { ensureRawObjects } from './index.ts'
import { SEARCH_SKIP_TABLES } from './search.sql.ts'
import { existingRowsIndexedOnce, schemaToolsLeaveThemAlone, sideIndexesFollowEveryWrite } from './search.sql.cases.ts'

const DROP = ['xcm_error_ins', 'xcm_error_upd', 'xcm_error_del', 'xcm_search_ins', 'xcm_search_upd', 'xcm_search_del'].map((t) => `drop trigger if exists ${t}`)

describe('list side indexes on SQLite (triggers, FTS5 trigram)', () => {
  let orm: MikroORM
  const open = async (skip: boolean) => {
    orm = await MikroORM.init({
      dbName: ':memory:',
      entities: MODULE_ENTITIES,
      allowGlobalContext: false,
      debug: false,
      ...(skip ? { schemaGenerator: { skipTables: SEARCH_SKIP_TABLES } } : {}),
    })
    await orm.schema.createSchema()
    return orm
  }
  afterEach(() => orm.close())

  it('match the buffer after inserts, failures, retries, edits, skips and deletes', async () => sideIndexesFollowEveryWrite(await open(true)))
  it('index the rows already there when first created, once', async () => existingRowsIndexedOnce(await open(true), DROP))
  it("leave the host's schema tools nothing to change", async () => schemaToolsLeaveThemAlone(await open(true)))

  it('make no FTS5 table for a host whose schema tools would read it (they cannot), and still keep the error codes', async () => {
    await open(false)
    await ensureRawObjects(orm)
    const tables = await orm.em.getConnection().execute<Array<{ name: string }>>(`select name from sqlite_master where type = 'table' and name like 'xcm_buffer_%' order by name`)
    expect(tables.map((t) => t.name)).toEqual(['xcm_buffer_customer', 'xcm_buffer_error'])
    expect((await orm.schema.getUpdateSchemaSQL({ safe: true, dropTables: false })).trim()).toBe('')
  })
})
