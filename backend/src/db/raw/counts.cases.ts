/** The kept counters against a recount, through every kind of write the module does; shared by the SQLite and PostgreSQL tests. */
import type { MikroORM } from '@mikro-orm/core'
import { expect } from 'vitest'
import { BufferCustomerEntity } from '../buffer-customer.entity.ts'
import { ImportCountEntity } from '../import-count.entity.ts'
import { newBufferRow } from '../../pipeline/buffer/buffer.rows.ts'
import { customer } from '../../pipeline/xml/xml.fixtures.ts'
import { ensureRawObjects } from './index.ts'
import { countsObjects } from './counts.sql.ts'

async function kept(orm: MikroORM): Promise<Record<string, number>> {
  const rows = await orm.em.fork().find(ImportCountEntity, {}, { orderBy: { importId: 'asc', bucket: 'asc' } })
  return Object.fromEntries(rows.filter((r) => Number(r.n) !== 0).map((r) => [`${r.importId}:${r.bucket}`, Number(r.n)]))
}

async function recount(orm: MikroORM): Promise<Record<string, number>> {
  const out: Record<string, number> = {}
  for (const r of await orm.em.fork().find(BufferCustomerEntity, {}, { fields: ['importId', 'state', 'notifyState'] })) {
    out[`${r.importId}:${r.state}`] = (out[`${r.importId}:${r.state}`] ?? 0) + 1
    if (r.notifyState === 'sent') out[`${r.importId}:notified`] = (out[`${r.importId}:notified`] ?? 0) + 1
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : 1)))
}

const rows = (importId: number, from: number, n: number) =>
  Array.from({ length: n }, (_, i) => newBufferRow(importId, from + i, customer(`s${from + i}`, { email: `c${from + i}@example.pl` }), new Date()))

/** Inserts, claims, outcomes, skips, notifications and deletes; the counters match a recount after each. */
export async function keptCountsFollowEveryWrite(orm: MikroORM): Promise<void> {
  await ensureRawObjects(orm, [countsObjects])
  const em = orm.em.fork()
  await em.insertMany(BufferCustomerEntity, rows(1, 1, 30))
  await em.insertMany(BufferCustomerEntity, rows(2, 1, 5))
  expect(await kept(orm)).toEqual({ '1:pending': 30, '2:pending': 5 })
  await em.nativeUpdate(BufferCustomerEntity, { importId: 1, position: { $lte: 10 } }, { state: 'importing' })
  await em.nativeUpdate(BufferCustomerEntity, { importId: 1, position: { $lte: 6 } }, { state: 'imported' })
  await em.nativeUpdate(BufferCustomerEntity, { importId: 1, position: { $gt: 6, $lte: 10 } }, { state: 'failed' })
  await em.nativeUpdate(BufferCustomerEntity, { importId: 1, position: { $gt: 25 } }, { state: 'skipped' })
  // an update that changes no state (an edit) moves nothing
  await em.nativeUpdate(BufferCustomerEntity, { importId: 1, position: 12 }, { login: 'x' })
  await em.nativeUpdate(BufferCustomerEntity, { importId: 1, position: { $lte: 3 } }, { notifyState: 'sending' })
  await em.nativeUpdate(BufferCustomerEntity, { importId: 1, position: { $lte: 3 } }, { notifyState: 'sent' })
  await em.nativeUpdate(BufferCustomerEntity, { importId: 1, position: 1 }, { notifyState: 'sent' })
  expect(await kept(orm)).toEqual(await recount(orm))
  expect(await kept(orm)).toMatchObject({ '1:imported': 6, '1:failed': 4, '1:skipped': 5, '1:pending': 15, '1:notified': 3 })
  await em.nativeDelete(BufferCustomerEntity, { importId: 1, position: { $lte: 2 } })
  await em.nativeDelete(BufferCustomerEntity, { importId: 2 })
  expect(await kept(orm)).toEqual(await recount(orm))
  expect(await kept(orm)).toMatchObject({ '1:imported': 4, '1:notified': 1 })
}

/** A database that had rows before the triggers existed is counted once, on the first start. */
export async function existingRowsCountedOnce(orm: MikroORM, dropTriggers: string[]): Promise<void> {
  const em = orm.em.fork()
  await em.insertMany(BufferCustomerEntity, rows(7, 1, 12))
  await em.nativeUpdate(BufferCustomerEntity, { importId: 7, position: { $lte: 4 } }, { state: 'imported', notifyState: 'sent' })
  for (const sql of dropTriggers) await em.getConnection().execute(sql)
  await em.nativeDelete(ImportCountEntity, {})
  await ensureRawObjects(orm, [countsObjects])
  expect(await kept(orm)).toEqual({ '7:imported': 4, '7:notified': 4, '7:pending': 8 })
  // a second start changes nothing
  await ensureRawObjects(orm, [countsObjects])
  expect(await kept(orm)).toEqual(await recount(orm))
}
