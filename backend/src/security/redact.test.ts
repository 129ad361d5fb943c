import { describe, expect, it, vi } from 'vitest'
import { REDACTED, credentialSecrets, redactSecrets, safeLog } from './redact.ts'

describe('redactSecrets', () => {
  it.each([
    ['a secret inside a message', 'login failed for api:Tajne!Hasło123', ['Tajne!Hasło123'], `login failed for api:${REDACTED}`],
    ['every occurrence', 'x=abc123xyz&y=abc123xyz', ['abc123xyz'], `x=${REDACTED}&y=${REDACTED}`],
    ['the longer secret first', 'token=abcdef', ['abc', 'abcdef'], `token=${REDACTED}`],
    ['empty secrets are ignored', 'nothing to hide', [''], 'nothing to hide'],
    ['credentials in a URL', 'GET https://api:pass@sklep.example.pl/webapi/rest', [], `GET https://${REDACTED}@sklep.example.pl/webapi/rest`],
    ['numbers and booleans pass', 42, ['42'], 42],
    ['null passes', null, ['x'], null],
  ])('%s', (_name, value, secrets, expected) => {
    expect(redactSecrets(value, secrets)).toEqual(expected)
  })

  it('replaces values of secret-named keys whole, at any depth', () => {
    const input = {
      platform: 'shoper',
      credentials: { login: 'api', password: 'x' },
      request: {
        headers: { Authorization: 'Bearer abc', 'X-API-KEY': 'k', accept: 'application/json' },
        body: { client_secret: 's', access_token: 't', refreshToken: 'r', items: [{ passwd: 'p', name: 'Jan' }] },
      },
    }
    expect(redactSecrets(input, [])).toEqual({
      platform: 'shoper',
      credentials: REDACTED,
      request: {
        headers: { Authorization: REDACTED, 'X-API-KEY': REDACTED, accept: 'application/json' },
        body: { client_secret: REDACTED, access_token: REDACTED, refreshToken: REDACTED, items: [{ passwd: REDACTED, name: 'Jan' }] },
      },
    })
  })

  it('scrubs errors, their causes, cycles and binary data', () => {
    const cause = new Error('socket said Tajne!Hasło123')
    const err = new Error('fetch failed', { cause })
    const cyclic: Record<string, unknown> = { name: 'loop' }
    cyclic.self = cyclic
    expect(redactSecrets({ err, cyclic, buf: Buffer.from('Tajne!Hasło123') }, ['Tajne!Hasło123'])).toEqual({
      err: { name: 'Error', message: 'fetch failed', cause: { name: 'Error', message: `socket said ${REDACTED}` } },
      cyclic: { name: 'loop', self: '[circular]' },
      buf: '[binary 15 bytes]',
    })
  })

  it('does not change its input', () => {
    const input = { password: 'x', note: 'abc' }
    redactSecrets(input, ['abc'])
    expect(input).toEqual({ password: 'x', note: 'abc' })
  })
})

describe('safeLog', () => {
  it('scrubs message and data before the host logs them', () => {
    const log = vi.fn()
    const secrets = ['demo-pass']
    const safe = safeLog(log, () => secrets)
    safe('warn', 'auth failed with demo-pass', { password: 'demo-pass', detail: 'sent demo-pass', status: 401 })
    safe('info', 'plain')
    expect(log).toHaveBeenNthCalledWith(1, 'warn', `auth failed with ${REDACTED}`, { password: REDACTED, detail: `sent ${REDACTED}`, status: 401 })
    expect(log).toHaveBeenNthCalledWith(2, 'info', 'plain')
  })
})

describe('credentialSecrets', () => {
  const creds = { platform: 'shoper', domain: 'https://sklep.example.pl', login: 'api', password: 'Tajne Hasło/1&2' }
  const forms = credentialSecrets(creds)

  it.each([
    ['as typed', 'Tajne Hasło/1&2'],
    ['URL-encoded', encodeURIComponent('Tajne Hasło/1&2')],
    ['URL-encoded in lower case', encodeURIComponent('Tajne Hasło/1&2').replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase())],
    ['form-encoded', 'Tajne+Has%C5%82o%2F1%262'],
    ['JSON with \\u escapes', 'Tajne Has\\u0142o/1&2'],
    ['base64', Buffer.from('Tajne Hasło/1&2').toString('base64')],
    ['the Basic form', Buffer.from('api:Tajne Hasło/1&2').toString('base64')],
    ['login:password URL-encoded', encodeURIComponent('api:Tajne Hasło/1&2')],
  ])('covers the password %s', (_name, form) => {
    expect(forms).toContain(form)
    expect(redactSecrets(`the shop said: ${form}!`, forms)).toBe(`the shop said: ${REDACTED}!`)
  })

  it('leaves the public fields and very short secrets alone', () => {
    expect(forms).not.toContain('api')
    expect(forms).not.toContain('shoper')
    expect(forms.some((f) => f.includes('sklep.example.pl'))).toBe(false)
    expect(credentialSecrets({ login: 'a', password: 'ab' })).toEqual([])
  })
})
