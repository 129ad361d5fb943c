/** The lists' pages and totals on PostgreSQL (pg_trgm side table, error-code side table); skipped without TEST_DATABASE_URL. */
import { randomBytes } from 'node:crypto'
import { MikroORM } from '@mikro-orm/postgresql'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { MODULE_ENTITIES } from '../../db/index.ts'
import { importAllMatchesTheList, pagesMatchAPlainFilter, totalsAreBounded } from './buffer.list.cases.ts'
import { isStatementTimeout } from './buffer.list.ts'

const URL_ = process.env.TEST_DATABASE_URL?.trim() || ''

describe.skipIf(!URL_)('buffer lists on PostgreSQL (pg_trgm search index)', () => {
  let orm: MikroORM
  let schema = ''
  beforeEach(async () => {
    schema = `cm_list_${randomBytes(4).toString('hex')}`
    orm = await MikroORM.init({ clientUrl: URL_, schema, entities: MODULE_ENTITIES, allowGlobalContext: false, debug: false })
    await orm.em.getConnection().execute(`create schema if not exists "${schema}"`)
    await orm.schema.createSchema()
  })
  afterEach(async () => {
    await orm?.em.getConnection().execute(`drop schema if exists "${schema}" cascade`)
    await orm?.close()
  })

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
