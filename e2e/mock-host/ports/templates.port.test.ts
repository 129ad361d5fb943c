import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { MikroORM } from '@mikro-orm/core'
import { memoryPanel } from '../test-db.ts'
import { createTemplatesPort } from './templates.port.ts'
import type { TemplatesPort } from '@cm/backend'

describe('templates port', () => {
  let orm: MikroORM
  let port: TemplatesPort

  beforeEach(async () => {
    const panel = await memoryPanel({ shops: false })
    orm = panel.orm
    port = createTemplatesPort(panel.db)
  })
  afterEach(() => orm.close())

  it('keeps one template per shop and template id', async () => {
    expect(await port.get('1', 'customer-imported')).toBeNull()
    const first = await port.put('1', 'customer-imported', { subject: 'Witaj', body: 'Link: {{setPasswordLink}}' })
    await port.put('1', 'customer-imported', { subject: 'Witaj ponownie', body: 'B {{setPasswordLink}}' })
    await port.put('2', 'customer-imported', { subject: 'Outlet', body: 'C {{setPasswordLink}}' })
    expect(await port.get('1', 'customer-imported')).toMatchObject({ subject: 'Witaj ponownie', body: 'B {{setPasswordLink}}' })
    expect(await port.get('2', 'customer-imported')).toMatchObject({ subject: 'Outlet' })
    expect(Number.isNaN(Date.parse(first.updatedAt))).toBe(false)
  })
})
