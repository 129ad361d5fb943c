import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { MikroORM } from '@mikro-orm/core'
import { PanelCustomer } from './db/customer.entity.ts'
import { PanelShop } from './db/shop.entity.ts'
import { demoShoperData } from './demo-shoper.ts'
import type { PanelDb } from './orm.ts'
import { createCustomersPort } from './ports/customers.port.ts'
import { SEED_CUSTOMER_COUNT, seedPanel, sharedDemoEmails } from './seed.ts'
import { memoryPanel } from './test-db.ts'

describe('seed', () => {
  let orm: MikroORM
  let db: PanelDb
  const shared = sharedDemoEmails(demoShoperData(500).users)

  beforeEach(async () => {
    ;({ orm, db } = await memoryPanel({ shops: false }))
  })
  afterEach(() => orm.close())

  it('is idempotent', async () => {
    expect(await seedPanel(db, { sharedEmails: shared })).toEqual({ shopsCreated: 3, customersCreated: SEED_CUSTOMER_COUNT })
    expect(await seedPanel(db, { sharedEmails: shared })).toEqual({ shopsCreated: 0, customersCreated: 0 })
    expect(await db.fork().count(PanelShop, {})).toBe(3)
    expect(await db.fork().count(PanelCustomer, {})).toBe(SEED_CUSTOMER_COUNT)
    expect(await db.fork().count(PanelCustomer, { externalRef: { $ne: null } })).toBe(0)
  })

  it('gives some panel customers the e-mails of demo Shoper customers, in another letter case now and then', async () => {
    expect(shared.length).toBeGreaterThanOrEqual(5)
    await seedPanel(db, { sharedEmails: shared })
    const port = createCustomersPort(db, { publicUrl: 'http://x' })
    const found = await port.findByEmails(shared)
    expect(found).toHaveLength(shared.length)
    expect(found.some((c) => !shared.includes(c.email))).toBe(true)
  })
})
