/** The lists' pages and totals on SQLite (FTS5 trigram search, error-code side table). */
import { MikroORM } from '@mikro-orm/better-sqlite'
import { afterEach, beforeEach, describe, it } from 'vitest'
import { MODULE_ENTITIES } from '../../db/index.ts'
import { SEARCH_SKIP_TABLES } from '../../db/raw/search.sql.ts'
import { importAllMatchesTheList, pagesMatchAPlainFilter, totalsAreBounded } from './buffer.list.cases.ts'

for (const indexed of [true, false]) {
  // without skipTables the host's schema tools could not read FTS5 tables: no search index, the bounded walk instead
  describe(`buffer lists on SQLite (${indexed ? 'FTS5 search index' : 'no search index'})`, () => {
    let orm: MikroORM
    beforeEach(async () => {
      orm = await MikroORM.init({
        dbName: ':memory:',
        entities: MODULE_ENTITIES,
        allowGlobalContext: false,
        debug: false,
        ...(indexed ? { schemaGenerator: { skipTables: SEARCH_SKIP_TABLES } } : {}),
      })
      await orm.schema.createSchema()
    })
    afterEach(() => orm.close())

    it('every filter, page by page, gives exactly the matching rows in id order, whatever the budget', () => pagesMatchAPlainFilter(orm, indexed))
    it('totals of searched and code-filtered lists are bounded; states alone come from the kept counts', () => totalsAreBounded(orm))
    it('"import all matching" selects what the list shows for the same search', () => importAllMatchesTheList(orm))
  })
}
