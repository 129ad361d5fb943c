import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { ModuleManifest } from './manifest.ts'
import { PERMISSIONS } from './permissions.ts'
import { TEMPLATE_ID, TEMPLATE_NAME } from './template.ts'

const manifest = JSON.parse(readFileSync(new URL('../../module.manifest.json', import.meta.url), 'utf8'))

describe('module.manifest.json', () => {
  it('matches the manifest schema a host reads', () => {
    const r = ModuleManifest.safeParse(manifest)
    expect(r.success ? [] : r.error.issues).toEqual([])
  })
  it('declares the permissions and the template the module really uses', () => {
    const m = ModuleManifest.parse(manifest)
    expect(m.permissions.map((p) => p.id).sort()).toEqual(Object.values(PERMISSIONS).sort())
    expect(m.templates[0]).toMatchObject({ id: TEMPLATE_ID, names: TEMPLATE_NAME })
  })
  it('is refused when a field is unknown (a typo would otherwise pass silently)', () => {
    expect(ModuleManifest.safeParse({ ...manifest, mountpath: '/x' }).success).toBe(false)
  })
})
