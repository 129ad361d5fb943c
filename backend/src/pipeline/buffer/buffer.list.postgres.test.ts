/** The lists' pages and totals on PostgreSQL (pg_trgm side table, error-code side table); skipped without TEST_DATABASE_URL. */
import type { MikroORM } from '@mikro-orm/postgresql'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { moduleSchema, TEST_DATABASE_URL, type PgSchema } from '../../testing/pg-schema.ts'
import { importAllMatchesTheList, pagesMatchAPlainFilter, totalsAreBounded } from './buffer.list.cases.ts'
import { isStatementTimeout } from './buffer.list.ts'

describe.skipIf(!TEST_DATABASE_URL)('buffer lists on PostgreSQL (pg_trgm search index)', () => {
  let orm: MikroORM
  let pg: PgSchema | undefined
  beforeEach(async () => {
    pg = await moduleSchema('cm_list')
    orm = pg.orm
  })
  afterEach(() => pg?.drop())

  it('every filter, page by page, gives exactly the matching rows in id order, whatever the budget', () => pagesMatchAPlainFilter(orm, true))
  it('totals of searched and code-filtered lists are bounded; states alone come from the kept counts', () => totalsAreBounded(orm))
  it('"import all matching" selects what the list shows for the same search', () => importAllMatchesTheList(orm))
  it('a search chunk past its plan timeout is recognised (and then walked in id order)', async () => {
    const err = await orm.em
      .fork()
      .transactional(async (tx) => {
        await tx.getConnection().execute('set local statement_timeout = 20', [], 'run', tx.getTransactionContext())
        await tx.getConnection().execute('select pg_sleep(1)', [], 'all', tx.getTransactionContext())
      })
      .catch((e: unknown) => e)
    expect(isStatementTimeout(err)).toBe(true)
    expect(isStatementTimeout(new Error('relation does not exist'))).toBe(false)
  })
})
