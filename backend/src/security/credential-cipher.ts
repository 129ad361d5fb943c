/**
 * Sealing of source credentials at rest: AES-256-GCM with a key from the host (SecretsPort).
 * Format `v1.<keyId>.<iv>.<tag>.<ciphertext>` (base64url): the key id lets old secrets open
 * after the host rotates its key; the aad (the import id) stops a sealed secret from being
 * copied onto another import.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'

export interface CredentialKeys {
  /** the key new secrets are sealed with */
  currentId: string
  /** every key still readable, by id (32 bytes each) */
  keys: Record<string, Uint8Array>
}

const VERSION = 'v1'
const IV_BYTES = 12
const TAG_BYTES = 16
const KEY_ID = /^[A-Za-z0-9_-]{1,64}$/

/** Why a sealed secret could not be opened; never carries the secret itself. */
export class SecretOpenError extends Error {
  override readonly name = 'SecretOpenError'
}

function keyFor(keys: CredentialKeys, id: string): Buffer {
  if (!KEY_ID.test(id)) throw new Error(`credential key id "${id}" must be 1–64 of [A-Za-z0-9_-]`)
  const key = Object.hasOwn(keys.keys, id) ? keys.keys[id] : undefined
  if (!key) throw new SecretOpenError(`no credential key with id "${id}" (was it removed after a rotation?)`)
  if (key.byteLength !== 32) throw new Error(`credential key "${id}" must be 32 bytes, got ${key.byteLength}`)
  return Buffer.from(key)
}

/** The version and key id are authenticated too, so a header cannot be swapped unnoticed. */
const fullAad = (keyId: string, aad: string): Buffer => Buffer.from(`${VERSION}\u0000${keyId}\u0000${aad}`, 'utf8')

export function sealSecret(plain: string, keys: CredentialKeys, aad: string): string {
  const keyId = keys.currentId
  const key = keyFor(keys, keyId)
  const iv = randomBytes(IV_BYTES)
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES })
  cipher.setAAD(fullAad(keyId, aad))
  const ciphertext = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()])
  const tag = cipher.getAuthTag()
  return [VERSION, keyId, iv.toString('base64url'), tag.toString('base64url'), ciphertext.toString('base64url')].join('.')
}

interface Parsed {
  keyId: string
  iv: Buffer
  tag: Buffer
  ciphertext: Buffer
}

function parse(sealed: string): Parsed {
  const parts = sealed.split('.')
  const [version, keyId, iv, tag, ciphertext] = parts
  const b64url = /^[A-Za-z0-9_-]*$/
  if (
    parts.length !== 5 ||
    version !== VERSION ||
    keyId === undefined ||
    !KEY_ID.test(keyId) ||
    [iv, tag, ciphertext].some((p) => p === undefined || !b64url.test(p))
  ) {
    throw new SecretOpenError('not a sealed secret of a known format')
  }
  const parsed = {
    keyId,
    iv: Buffer.from(iv!, 'base64url'),
    tag: Buffer.from(tag!, 'base64url'),
    ciphertext: Buffer.from(ciphertext!, 'base64url'),
  }
  if (parsed.iv.length !== IV_BYTES || parsed.tag.length !== TAG_BYTES)
    throw new SecretOpenError('not a sealed secret of a known format')
  return parsed
}

export function openSecret(sealed: string, keys: CredentialKeys, aad: string): string {
  const { keyId, iv, tag, ciphertext } = parse(sealed)
  const decipher = createDecipheriv('aes-256-gcm', keyFor(keys, keyId), iv, { authTagLength: TAG_BYTES })
  decipher.setAAD(fullAad(keyId, aad))
  decipher.setAuthTag(tag)
  try {
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8')
  } catch {
    throw new SecretOpenError('cannot open the sealed secret: wrong key, wrong import, or the data was altered')
  }
}

/** True when the secret was sealed with a key other than the current one. */
export function needsRotation(sealed: string, keys: CredentialKeys): boolean {
  return parse(sealed).keyId !== keys.currentId
}

/** Re-seals with the current key when needed; otherwise returns the input unchanged. */
export function resealIfNeeded(sealed: string, keys: CredentialKeys, aad: string): string {
  return needsRotation(sealed, keys) ? sealSecret(openSecret(sealed, keys, aad), keys, aad) : sealed
}
