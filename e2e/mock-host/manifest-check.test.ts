import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { HOST_CONTRACT_VERSION, loadModuleManifest, MANIFEST_PATH, satisfiesRange } from './manifest-check.ts'

describe('host contract range', () => {
  it.each([
    ['1.0.0', '^1.0.0', true],
    ['1.4.2', '^1.0.0', true],
    ['2.0.0', '^1.0.0', false],
    ['0.9.0', '^1.0.0', false],
    ['0.2.5', '^0.2.0', true],
    ['0.3.0', '^0.2.0', false],
    ['1.2.9', '~1.2.0', true],
    ['1.3.0', '~1.2.0', false],
    ['1.0.0', '>=1.0.0 <2.0.0', true],
    ['2.0.0', '>=1.0.0 <2.0.0', false],
    ['1.5.0', '>= 1.0.0 < 2.0.0', true],
    ['1.0.0', '1.0.0', true],
    ['1.0.1', '1.0.0', false],
    ['3.1.0', '^1.0.0 || ^3.0.0', true],
  ])('%s satisfies %s: %s', (v, range, expected) => {
    expect(satisfiesRange(v, range)).toBe(expected)
  })

  it('refuses what it cannot read', () => {
    expect(() => satisfiesRange('1.0.0', '1.x')).toThrow()
  })

  it('accepts the repository manifest', () => {
    const m = loadModuleManifest(MANIFEST_PATH, HOST_CONTRACT_VERSION)
    expect(m.backend.mountPath).toBe('/api/customer-migration')
  })

  it('refuses a module made for another host contract, saying so', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'manifest-'))
    const file = path.join(dir, 'module.manifest.json')
    const m = JSON.parse(fs.readFileSync(MANIFEST_PATH, 'utf8')) as Record<string, unknown>
    fs.writeFileSync(file, JSON.stringify({ ...m, hostContract: '^2.0.0' }))
    expect(() => loadModuleManifest(file, '1.0.0')).toThrow(/needs host contract "\^2\.0\.0".*implements 1\.0\.0/)
    fs.rmSync(dir, { recursive: true, force: true })
  })
})
