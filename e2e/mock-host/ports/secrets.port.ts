/**
 * The key(s) the module seals source credentials with: CREDENTIAL_KEYS (`id:base64key,...`,
 * the first one seals, all of them open), or else one key generated on first start into
 * `${dataDir}/secret.key` (mode 0600) so that credentials survive restarts.
 */
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import type { SecretsPort } from '@cm/backend'

const KEY_BYTES = 32

function decodeKey(id: string, b64: string): Uint8Array {
  const key = Buffer.from(b64, 'base64')
  if (key.length !== KEY_BYTES) throw new Error(`Credential key "${id}" must be ${KEY_BYTES} bytes (base64), got ${key.length}`)
  return new Uint8Array(key)
}

export function parseCredentialKeys(raw: string): { currentId: string; keys: Record<string, Uint8Array> } {
  const keys: Record<string, Uint8Array> = {}
  let currentId: string | null = null
  for (const part of raw.split(',').map((s) => s.trim()).filter(Boolean)) {
    const sep = part.indexOf(':')
    if (sep <= 0) throw new Error('CREDENTIAL_KEYS must look like id:base64key,id2:base64key')
    const id = part.slice(0, sep)
    keys[id] = decodeKey(id, part.slice(sep + 1))
    currentId ??= id
  }
  if (!currentId) throw new Error('CREDENTIAL_KEYS holds no key')
  return { currentId, keys }
}

function fileKey(dataDir: string): { currentId: string; keys: Record<string, Uint8Array> } {
  const file = path.join(dataDir, 'secret.key')
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dataDir, { recursive: true })
    // 'wx': never overwrite a key another process just wrote; the old credentials depend on it
    try {
      fs.writeFileSync(file, randomBytes(KEY_BYTES).toString('base64') + '\n', { mode: 0o600, flag: 'wx' })
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
    }
  }
  return { currentId: 'local', keys: { local: decodeKey('local', fs.readFileSync(file, 'utf8').trim()) } }
}

export function createSecretsPort(cfg: { credentialKeys: string | null; dataDir: string }): SecretsPort {
  // read once at start: a bad key must stop the host, not the first import
  const ring = cfg.credentialKeys ? parseCredentialKeys(cfg.credentialKeys) : fileKey(cfg.dataDir)
  return { credentialKeys: () => ring }
}
