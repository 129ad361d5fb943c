/** The lists' pages and totals on PostgreSQL (pg_trgm side table, error-code side table); skipped without TEST_DATABASE_URL. */
import type { MikroORM } from '@mikro-orm/postgresql'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { moduleSchema, TEST_DATABASE_URL, type PgSchema } from '../../testing/pg-schema.ts'
import { importAllMatchesTheList, pagesMatchAPlainFilter, totalsAreBounded } from './buffer.list.cases.ts'
import { isStatementTimeout, readWithSettings } from './buffer.list.ts'

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
  it('a read cancelled by its plan timeout hands no connection back inside its aborted transaction', async () => {
    const knex = orm.em.getConnection().getKnex()
    for (let i = 0; i < 6; i++) {
      const err = await readWithSettings(knex, ['set local statement_timeout = 20'], 'select pg_sleep(?)', [0.5]).catch((e: unknown) => e)
      expect(isStatementTimeout(err)).toBe(true)
    }
    // every pooled connection answers (one left in an aborted transaction would refuse) and without the read's setting
    const answers = await Promise.all(Array.from({ length: 12 }, () => orm.em.getConnection().execute<Array<{ t: string }>>(`select current_setting('statement_timeout') as t`)))
    for (const [a] of answers) expect(a).toEqual({ t: '0' })
    expect(await readWithSettings(knex, ['set local enable_bitmapscan = off'], 'select ?::int as n', [7])).toEqual([{ n: 7 }])
  })
})
