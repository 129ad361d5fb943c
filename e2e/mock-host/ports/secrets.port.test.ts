import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createSecretsPort } from './secrets.port.ts'

const key = (b: number) => Buffer.alloc(32, b).toString('base64')

describe('secrets port', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'panel-secrets-'))
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }))

  it('generates one key into DATA_DIR (mode 0600) and reads the same key on the next start', () => {
    const a = createSecretsPort({ credentialKeys: null, dataDir: dir }).credentialKeys()
    const b = createSecretsPort({ credentialKeys: null, dataDir: dir }).credentialKeys()
    expect(a.keys[a.currentId]).toHaveLength(32)
    expect(b.keys[b.currentId]).toEqual(a.keys[a.currentId])
    expect(fs.statSync(path.join(dir, 'secret.key')).mode & 0o777).toBe(0o600)
  })

  it('takes CREDENTIAL_KEYS: the first seals, all open; bad keys stop the start', () => {
    const ring = createSecretsPort({ credentialKeys: `k2:${key(2)}, k1:${key(1)}`, dataDir: dir }).credentialKeys()
    expect(ring.currentId).toBe('k2')
    expect(Object.keys(ring.keys)).toEqual(['k2', 'k1'])
    expect(() => createSecretsPort({ credentialKeys: 'k1:c2hvcnQ=', dataDir: dir })).toThrow(/32 bytes/)
    expect(() => createSecretsPort({ credentialKeys: 'nokey', dataDir: dir })).toThrow(/id:base64key/)
  })
})
