import { MikroORM } from '@mikro-orm/better-sqlite'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { BufferCustomerEntity, MODULE_ENTITIES } from '../../db/index.ts'
import { address, customer } from '../xml/xml.fixtures.ts'
import { insertBufferRows } from './buffer.insert.ts'
import { newBufferRow } from './buffer.rows.ts'

describe('bulk buffer insert', () => {
  let orm: MikroORM
  beforeEach(async () => {
    orm = await MikroORM.init({ dbName: ':memory:', entities: MODULE_ENTITIES, allowGlobalContext: false, debug: false })
    await orm.schema.createSchema()
  })
  afterEach(() => orm.close())

  it('stores what the ORM would, read back through the entity', async () => {
    const at = new Date('2026-12-03T10:00:00.000Z')
    const c = customer('ż-1', { firstName: 'Żaneta', addresses: [address({ city: 'Łódź' })] })
    await orm.em.fork().insertMany(BufferCustomerEntity, [newBufferRow(1, 1, c, at)])
    await orm.em.fork().transactional((tx) => insertBufferRows(tx, [newBufferRow(2, 1, c, at)]))
    const [viaOrm, viaBulk] = await orm.em.fork().find(BufferCustomerEntity, {}, { orderBy: { importId: 'asc' } })
    const { id: _a, importId: _b, ...expected } = viaOrm!
    const { id: _c, importId: _d, ...actual } = viaBulk!
    expect(actual).toEqual(expected)
    expect(actual.updatedAt).toEqual(at)
    expect(actual.data.addresses[0]!.city).toBe('Łódź')
  })

  it('splits a batch larger than one statement can bind', async () => {
    const rows = Array.from({ length: 2_345 }, (_, i) => newBufferRow(3, i + 1, customer(`s${i}`), new Date()))
    await orm.em.fork().transactional((tx) => insertBufferRows(tx, rows))
    expect(await orm.em.fork().count(BufferCustomerEntity, { importId: 3 })).toBe(2_345)
  })
})
