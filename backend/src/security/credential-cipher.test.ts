import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { SecretOpenError, needsRotation, openSecret, resealIfNeeded, sealSecret } from './credential-cipher.ts'

const k2024 = randomBytes(32)
const k2025 = randomBytes(32)
const keys = { currentId: 'k2024', keys: { k2024 } }
const secret = JSON.stringify({ platform: 'shoper', domain: 'sklep.example.pl', login: 'api', password: 'Tajne!Hasło123' })
const aad = 'customer-migration:import:7'

describe('credential cipher', () => {
  it('round-trips, in the compact v1 format', () => {
    const sealed = sealSecret(secret, keys, aad)
    expect(sealed).toMatch(/^v1\.k2024\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]+$/)
    expect(openSecret(sealed, keys, aad)).toBe(secret)
  })

  it('never shows the plaintext and never repeats a ciphertext', () => {
    const a = sealSecret(secret, keys, aad)
    const b = sealSecret(secret, keys, aad)
    expect(a).not.toBe(b)
    for (const part of ['Tajne', 'password', 'shoper', Buffer.from(secret).toString('base64url').slice(0, 12)])
      expect(a).not.toContain(part)
  })

  it.each([
    ['a flipped ciphertext byte', (s: string) => s.slice(0, -2) + (s.at(-2) === 'A' ? 'B' : 'A') + s.at(-1)],
    ['a flipped tag', (s: string) => s.split('.').map((p, i) => (i === 3 ? (p[0] === 'A' ? 'B' : 'A') + p.slice(1) : p)).join('.')],
    ['another iv', (s: string) => s.split('.').map((p, i) => (i === 2 ? randomBytes(12).toString('base64url') : p)).join('.')],
    ['a truncated value', (s: string) => s.split('.').slice(0, 4).join('.')],
    ['another version', (s: string) => s.replace(/^v1/, 'v2')],
    ['garbage', () => 'not-a-secret'],
  ])('refuses %s', (_name, tamper) => {
    const sealed = tamper(sealSecret(secret, keys, aad))
    expect(() => openSecret(sealed, keys, aad)).toThrow(SecretOpenError)
  })

  it('refuses a secret moved to another import (wrong aad)', () => {
    const sealed = sealSecret(secret, keys, aad)
    expect(() => openSecret(sealed, keys, 'customer-migration:import:8')).toThrow(/wrong key, wrong import/)
  })

  it('refuses a wrong key under the same id', () => {
    const sealed = sealSecret(secret, keys, aad)
    expect(() => openSecret(sealed, { currentId: 'k2024', keys: { k2024: k2025 } }, aad)).toThrow(SecretOpenError)
  })

  it('names a missing key id without leaking anything', () => {
    const sealed = sealSecret(secret, keys, aad)
    expect(() => openSecret(sealed, { currentId: 'k2025', keys: { k2025 } }, aad)).toThrow(/no credential key with id "k2024"/)
  })

  it('rotates: old secrets open after the current key changed and are re-sealed with the new one', () => {
    const old = sealSecret(secret, keys, aad)
    const rotated = { currentId: 'k2025', keys: { k2024, k2025 } }
    expect(needsRotation(old, rotated)).toBe(true)
    expect(openSecret(old, rotated, aad)).toBe(secret)
    const resealed = resealIfNeeded(old, rotated, aad)
    expect(resealed.startsWith('v1.k2025.')).toBe(true)
    expect(needsRotation(resealed, rotated)).toBe(false)
    expect(resealIfNeeded(resealed, rotated, aad)).toBe(resealed)
    // once the old key is gone, only the re-sealed value opens
    const newOnly = { currentId: 'k2025', keys: { k2025 } }
    expect(openSecret(resealed, newOnly, aad)).toBe(secret)
    expect(() => openSecret(old, newOnly, aad)).toThrow(SecretOpenError)
  })

  it.each([
    ['a 16-byte key', { currentId: 'a', keys: { a: randomBytes(16) } }, /32 bytes/],
    ['a missing current key', { currentId: 'b', keys: { a: randomBytes(32) } }, /no credential key/],
    ['a key id with a dot', { currentId: 'a.b', keys: { 'a.b': randomBytes(32) } }, /key id/],
  ])('validates keys: %s', (_name, badKeys, message) => {
    expect(() => sealSecret(secret, badKeys, aad)).toThrow(message)
  })

  it('keeps unicode intact', () => {
    const s = 'zażółć gęślą jaźń 🔑'
    expect(openSecret(sealSecret(s, keys, aad), keys, aad)).toBe(s)
  })
})
