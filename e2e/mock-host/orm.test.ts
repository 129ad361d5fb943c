import { describe, expect, it } from 'vitest'
import { MODULE_ENTITIES } from '@cm/backend'
import type { AnyEntitySchema } from './orm.ts'
import { createPanelOrm } from './orm.ts'

describe('panel ORM', () => {
  it('leaves no schema diff after start (restarts do not rebuild tables)', async () => {
    const orm = await createPanelOrm({ db: { kind: 'sqlite', path: ':memory:' } }, MODULE_ENTITIES as unknown as AnyEntitySchema[])
    const diff = await orm.schema.getUpdateSchemaSQL({ dropTables: false })
    await orm.close()
    expect(diff.trim()).toBe('')
  })
})
