/**
 * TLS is always verified on source shops: a self-signed certificate (made on the fly) is refused
 * by createGuardedFetch before any HTTP request is sent, even with NODE_TLS_REJECT_UNAUTHORIZED=0,
 * and Sprawdź połączenie says SOURCE_TLS_ERROR. A control shows the certificate itself is sound.
 */
import https from 'node:https'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ConnectionCheckResponse } from '@cm/contracts'
import { reliabilityCase } from '../testing/reliability.ts'
import { startTestModule } from '../testing/test-module.ts'
import { createGuardedFetch } from './address-guard.ts'
import { selfSignedCertificate, type SelfSigned } from './self-signed.testing.ts'

let tls: SelfSigned
let server: https.Server
let port = 0
/** HTTP requests that got through the handshake (the Authorization header would be in them) */
let requests = 0
let handshakes = 0

beforeAll(async () => {
  tls = selfSignedCertificate()
  server = https.createServer({ cert: tls.cert, key: tls.key }, (req, res) => {
    requests++
    res.setHeader('content-type', 'application/json').end(JSON.stringify({ access_token: 'x', expires_in: 3600, token_type: 'bearer' }))
  })
  server.on('secureConnection', () => handshakes++)
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()))
  port = (server.address() as AddressInfo).port
})

afterAll(async () => {
  server.closeAllConnections()
  await new Promise((r) => server.close(r))
})

/** the `code` somewhere on an error's cause chain */
function codeOf(e: unknown): string | undefined {
  for (let cur = e, i = 0; cur && typeof cur === 'object' && i < 6; cur = (cur as { cause?: unknown }).cause, i++) {
    const code = (cur as { code?: unknown }).code
    if (typeof code === 'string') return code
  }
  return undefined
}

describe('TLS verification of source shops', () => {
  it('control: the certificate is valid for 127.0.0.1 when its own CA is trusted', async () => {
    const body = await new Promise<string>((resolve, reject) => {
      https
        .get({ host: '127.0.0.1', port, path: '/', ca: tls.cert }, (res) => {
          let s = ''
          res.on('data', (d: Buffer) => (s += d.toString()))
          res.on('end', () => resolve(s))
        })
        .on('error', reject)
    })
    expect(body).toContain('access_token')
    expect(requests).toBe(1)
  })

  it('createGuardedFetch refuses the self-signed certificate; no HTTP request reaches the server', async () => {
    const rc = reliabilityCase('ssrf', 'self-signed certificate refused by the guarded fetch')
    const before = requests
    const fetch = createGuardedFetch({ allowPrivate: true, allowHttp: false })
    const err = await fetch(`https://127.0.0.1:${port}/webapi/rest/auth`, { method: 'POST', headers: { authorization: 'Basic c2VjcmV0' } }).catch((e: unknown) => e)
    await fetch.close()
    rc.tried(1)
    if (/SELF_SIGNED|CERT/.test(codeOf(err) ?? '')) rc.rejected(1)
    // a request past the handshake would have carried the Authorization header
    rc.measure({ credentialLeaks: requests - before })
    expect(err).toBeInstanceOf(Error)
    expect(codeOf(err)).toMatch(/SELF_SIGNED|CERT/)
    expect(requests).toBe(before)
  })

  it('stays verified when the process says NODE_TLS_REJECT_UNAUTHORIZED=0', async () => {
    const rc = reliabilityCase('ssrf', 'TLS verified despite NODE_TLS_REJECT_UNAUTHORIZED=0')
    const before = requests
    const saved = process.env.NODE_TLS_REJECT_UNAUTHORIZED
    const warn = process.emitWarning
    // node warns once about the variable; the warning is expected here
    process.emitWarning = () => {}
    process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0'
    try {
      const fetch = createGuardedFetch({ allowPrivate: true, allowHttp: false })
      const err = await fetch(`https://127.0.0.1:${port}/`).catch((e: unknown) => e)
      await fetch.close()
      rc.tried(1)
      if (/SELF_SIGNED|CERT/.test(codeOf(err) ?? '')) rc.rejected(1)
      rc.measure({ credentialLeaks: requests - before })
      expect(codeOf(err)).toMatch(/SELF_SIGNED|CERT/)
    } finally {
      if (saved === undefined) delete process.env.NODE_TLS_REJECT_UNAUTHORIZED
      else process.env.NODE_TLS_REJECT_UNAUTHORIZED = saved
      process.emitWarning = warn
    }
    expect(requests).toBe(before)
  })

  it('Sprawdź połączenie against it: 200 ok:false SOURCE_TLS_ERROR, the login never sent', async () => {
    const rc = reliabilityCase('ssrf', 'connection check to a self-signed shop says SOURCE_TLS_ERROR')
    const t = await startTestModule({
      settings: { allowPrivateSources: true, allowHttpSources: false, source: { requestTimeoutMs: 2_000, retries: 1, minRetryDelayMs: 10, maxRetryDelayMs: 20 }, log: () => {} },
    })
    try {
      const before = { requests, handshakes }
      const r = await t.json<ConnectionCheckResponse>('operator', '/connections/check', {
        method: 'POST',
        body: JSON.stringify({ platform: 'shoper', domain: `https://127.0.0.1:${port}`, login: 'api', password: 'Tajne-Haslo-TLS-1' }),
      })
      rc.tried(1)
      if (!r.body.ok && r.body.error.code === 'SOURCE_TLS_ERROR') rc.rejected(1)
      // the login goes in the first request: none may pass the handshake
      rc.measure({ credentialLeaks: requests - before.requests })
      expect(r.status).toBe(200)
      expect(r.body).toMatchObject({ ok: false, error: { code: 'SOURCE_TLS_ERROR' } })
      expect(requests).toBe(before.requests)
      expect(handshakes).toBe(before.handshakes)
    } finally {
      await t.close()
    }
  })
})
