/** The lists' side indexes against the buffer's own columns, through every kind of write; shared by the SQLite and PostgreSQL tests. */
import type { MikroORM } from '@mikro-orm/core'
import { expect } from 'vitest'
import { BufferCustomerEntity } from '../buffer-customer.entity.ts'
import { newBufferRow } from '../../pipeline/buffer/buffer.rows.ts'
import { customer } from '../../pipeline/xml/xml.fixtures.ts'
import { dialectOf, ensureRawObjects } from './index.ts'
import { ERROR_TABLE, SEARCH_TABLE, searchObjects } from './search.sql.ts'

const QUERIES = ['kowal', 'example.pl', 'łucja', 'ódź', 'nobody here', 'c1@']

function tables(orm: MikroORM) {
  const pg = dialectOf(orm) === 'postgresql'
  const schema = pg ? ((orm.config.get('schema') as string | undefined) ?? 'public') : null
  const name = (t: string) => (schema ? `"${schema}"."${t}"` : `"${t}"`)
  const all = async <T,>(sql: string, params: unknown[] = []) => (await orm.em.fork().getConnection().execute(sql, params as never[], 'all')) as T[]
  return { pg, name, all }
}

/** what the error side table must hold: one row per code in error_codes */
async function errorRowsWanted(orm: MikroORM): Promise<string[]> {
  const rows = await orm.em.fork().find(BufferCustomerEntity, {}, { fields: ['importId', 'errorCodes'] })
  // junk in the column is never indexed
  return rows.flatMap((r) => r.errorCodes.split(' ').filter((c) => /^[A-Z0-9_]+$/.test(c)).map((c) => `${r.importId}:${c}:${r.id}`)).sort()
}
async function errorRowsHeld(orm: MikroORM): Promise<string[]> {
  const t = tables(orm)
  const rows = await t.all<{ import_id: number; code: string; buffer_id: number }>(`select import_id, code, buffer_id from ${t.name(ERROR_TABLE)}`)
  return rows.map((r) => `${r.import_id}:${r.code}:${r.buffer_id}`).sort()
}

/** per query: the ids the search index finds, and the ids a plain substring test over search_text finds */
async function searchBothWays(orm: MikroORM): Promise<Array<{ q: string; index: number[]; scan: number[] }>> {
  const t = tables(orm)
  const out = []
  for (const q of QUERIES) {
    const index = t.pg
      ? await t.all<{ id: number }>(`select id from ${t.name(SEARCH_TABLE)} where search_text like ? order by id`, [`%${q}%`])
      : await t.all<{ id: number }>(`select rowid as id from ${t.name(SEARCH_TABLE)} where ${t.name(SEARCH_TABLE)} match ? order by rowid`, [`"${q}"`])
    const scan = t.pg
      ? await t.all<{ id: number }>(`select id from ${t.name('xcm_buffer_customer')} where strpos(search_text, ?) > 0 order by id`, [q])
      : await t.all<{ id: number }>(`select id from ${t.name('xcm_buffer_customer')} where instr(search_text, ?) > 0 order by id`, [q])
    out.push({ q, index: index.map((r) => Number(r.id)), scan: scan.map((r) => Number(r.id)) })
  }
  return out
}

async function expectInSync(orm: MikroORM): Promise<void> {
  expect(await errorRowsHeld(orm)).toEqual(await errorRowsWanted(orm))
  for (const r of await searchBothWays(orm)) expect(r.index, r.q).toEqual(r.scan)
}

const rows = (importId: number, from: number, n: number) =>
  Array.from({ length: n }, (_, i) =>
    newBufferRow(importId, from + i, customer(`s${from + i}`, { email: `c${from + i}@example.pl`, firstName: i % 3 ? 'Jan' : 'Łucja' }), new Date()),
  )

const failed = (codes: string[]) => ({ state: 'failed', errors: codes.map((code) => ({ code: code as never, field: 'x', message: 'm' })), errorCodes: ` ${codes.join(' ')} ` })

/** Inserts, failures, retries, edits, skips and deletes: both side indexes match the buffer after each. */
export async function sideIndexesFollowEveryWrite(orm: MikroORM): Promise<void> {
  await ensureRawObjects(orm, [searchObjects])
  const em = orm.em.fork()
  await em.insertMany(BufferCustomerEntity, rows(1, 1, 30))
  await em.insertMany(BufferCustomerEntity, [{ ...rows(2, 1, 1)[0]!, ...failed(['EMAIL_TAKEN']) }])
  await expectInSync(orm)
  expect(await errorRowsHeld(orm)).toHaveLength(1)
  await em.nativeUpdate(BufferCustomerEntity, { importId: 1, position: { $lte: 10 } }, { state: 'importing', claimToken: 't' })
  await em.nativeUpdate(BufferCustomerEntity, { importId: 1, position: { $lte: 6 } }, failed(['POSTCODE_INVALID', 'PHONE_INVALID']))
  await em.nativeUpdate(BufferCustomerEntity, { importId: 1, position: { $gt: 6, $lte: 10 } }, { state: 'imported', errors: null, errorCodes: '' })
  await expectInSync(orm)
  expect(await errorRowsHeld(orm)).toHaveLength(13)
  // a retry: some fail again with other codes, some are imported (their codes go)
  await em.nativeUpdate(BufferCustomerEntity, { importId: 1, position: { $lte: 2 } }, failed(['CITY_MISSING']))
  await em.nativeUpdate(BufferCustomerEntity, { importId: 1, position: { $gt: 2, $lte: 4 } }, { state: 'imported', errors: null, errorCodes: '' })
  // an edit changes the searched text; a skip changes nothing indexed
  await em.nativeUpdate(BufferCustomerEntity, { importId: 1, position: 5 }, { searchText: 'zmieniony kowalczyk łódź', emailLower: 'nowy@example.pl' })
  await em.nativeUpdate(BufferCustomerEntity, { importId: 1, position: { $gt: 25 } }, { state: 'skipped' })
  // junk in error_codes never breaks a write
  await em.nativeUpdate(BufferCustomerEntity, { importId: 1, position: 20 }, { errorCodes: ' "bad\\ ' })
  await expectInSync(orm)
  await em.nativeUpdate(BufferCustomerEntity, { importId: 1, position: 20 }, { errorCodes: '' })
  await em.nativeDelete(BufferCustomerEntity, { importId: 1, position: { $lte: 3 } })
  await em.nativeDelete(BufferCustomerEntity, { importId: 2 })
  await expectInSync(orm)
  const hits = await searchBothWays(orm)
  expect(hits.find((h) => h.q === 'ódź')!.index).toHaveLength(1)
  expect(hits.find((h) => h.q === 'łucja')!.index.length).toBeGreaterThan(0)
}

/** A database that had rows before the side indexes existed is indexed once, on the first start. */
export async function existingRowsIndexedOnce(orm: MikroORM, dropTriggers: string[]): Promise<void> {
  const em = orm.em.fork()
  await em.insertMany(BufferCustomerEntity, rows(7, 1, 20))
  await em.nativeUpdate(BufferCustomerEntity, { importId: 7, position: { $lte: 5 } }, failed(['STREET_MISSING', 'CITY_MISSING']))
  await ensureRawObjects(orm, [searchObjects])
  await expectInSync(orm)
  expect(await errorRowsHeld(orm)).toHaveLength(10)
  // a partial install (a schema tool rebuilt the table and lost its triggers) is filled again
  for (const sql of dropTriggers) await em.getConnection().execute(sql)
  await em.insertMany(BufferCustomerEntity, rows(7, 21, 3))
  await em.nativeUpdate(BufferCustomerEntity, { importId: 7, position: 21 }, failed(['LOGIN_TAKEN']))
  await ensureRawObjects(orm, [searchObjects])
  await expectInSync(orm)
  // a second start changes nothing
  await ensureRawObjects(orm, [searchObjects])
  await expectInSync(orm)
  expect(await errorRowsHeld(orm)).toHaveLength(11)
}

/** The host's schema tools (updateSchema, safe, no table drops) find nothing to change and drop nothing. */
export async function schemaToolsLeaveThemAlone(orm: MikroORM): Promise<void> {
  await ensureRawObjects(orm)
  expect((await orm.schema.getUpdateSchemaSQL({ safe: true, dropTables: false })).trim()).toBe('')
}
