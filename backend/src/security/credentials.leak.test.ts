/**
 * Issue 4, item 6: the source password leaks nowhere on the paths that go wrong. (The happy path
 * has its own search in e2e/flow/migration-flow.test.ts.) On a SQLite file, with every log line
 * captured: a wrong password (check and import), a shop failing with 500s (fetch_failed, resume,
 * fetch_failed again), a shop that echoes the password and the Authorization header back in its
 * error answers, malformed requests carrying the password, usuń źródło during a fetch and after a
 * failure. Then every response body, every log line, every file of the module's folder (partial
 * XML files included) and the database file are searched for each password, its Basic form
 * (base64 of login:password), its base64url and URL-encoded forms. Nothing may be found.
 */
import { createServer, type Server } from 'node:http'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ConnectionCheckResponse, ImportDetails } from '@cm/contracts'
import { generateShoperDemoData } from '../connectors/shoper/shoper.demo-data.ts'
import { startShoperMock, type RunningShoperMock, type ShoperMockOptions } from '../connectors/shoper/shoper.mock-server.ts'
import { reliabilityCase } from '../testing/reliability.ts'
import { startTestModule } from '../testing/test-module.ts'

type T = Awaited<ReturnType<typeof startTestModule>>

const LOGIN = 'api-wyciek'
const PASSWORD = 'Wyciek-Hasło-Źródła-5e1b!'
const WRONG = 'Złe-Hasło-Wyciek-77c2?'
const ECHOED = 'Echo-Hasło-Wyciek-0a9d#'

let dir = ''
let t: T
const shops: RunningShoperMock[] = []
const responses: string[] = []
const logLines: string[] = []
let echo: Server
let echoUrl = ''

async function shop(opts: Partial<ShoperMockOptions> = {}): Promise<RunningShoperMock> {
  const s = await startShoperMock({ port: 0, login: LOGIN, password: PASSWORD, data: generateShoperDemoData({ count: 120, seed: 11 }), bucket: { limit: 100, leakPerSecond: 100 }, ...opts })
  shops.push(s)
  return s
}

/** every call goes through here, so every response body is kept for the search */
async function call<B = unknown>(method: string, url: string, body?: unknown): Promise<{ status: number; body: B }> {
  const res = await t.module.app.request(url, {
    method,
    headers: { 'x-test-user': 'operator', 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  })
  const text = await res.text()
  responses.push(`${method} ${url} → ${res.status}\n${[...res.headers].map(([k, v]) => `${k}: ${v}`).join('\n')}\n${text}`)
  return { status: res.status, body: JSON.parse(text) as B }
}

const creds = (domain: string, password = PASSWORD) => ({ platform: 'shoper', domain, login: LOGIN, password })
const details = (id: string) => call<ImportDetails>('GET', `/imports/${id}`).then((r) => r.body)
const settle = (id: string) => t.waitFor(() => details(id), (d) => d.status !== 'awaiting_xml')

async function createImport(domain: string, password = PASSWORD): Promise<string> {
  const r = await call<ImportDetails>('POST', '/imports', { credentials: creds(domain, password), shopIds: ['1'] })
  expect(r.status, JSON.stringify(r.body)).toBe(201)
  return r.body.id
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'cm-leak-'))
  // a shop that echoes whatever it was sent: the password, the Authorization header, decoded too
  echo = createServer((req, res) => {
    const auth = req.headers.authorization ?? ''
    const decoded = Buffer.from(auth.replace(/^Basic /, ''), 'base64').toString('utf8')
    res.setHeader('content-type', 'application/json')
    res.setHeader('x-echo', encodeURIComponent(auth))
    if (req.url?.endsWith('/auth')) {
      res.statusCode = 401
      res.end(JSON.stringify({ error: 'auth_failure', error_description: `Nieprawidłowe dane: ${decoded} (${auth}) ${encodeURIComponent(decoded)}` }))
    } else {
      res.statusCode = 500
      res.end(JSON.stringify({ error: 'server', error_description: `${decoded} ${auth}` }))
    }
  })
  await new Promise<void>((r) => echo.listen(0, '127.0.0.1', () => r()))
  echoUrl = `http://127.0.0.1:${(echo.address() as AddressInfo).port}`
  t = await startTestModule(
    {
      storage: { dir: path.join(dir, 'files') },
      settings: {
        allowPrivateSources: true,
        allowHttpSources: true,
        source: { requestTimeoutMs: 2_000, retries: 2, minRetryDelayMs: 10, maxRetryDelayMs: 30 },
        log: (level, msg, data) => logLines.push(JSON.stringify({ level, msg, data })),
      },
    },
    { dbName: path.join(dir, 'module.sqlite') },
  )
})

afterAll(async () => {
  await t?.close()
  await Promise.all(shops.map((s) => s.close()))
  echo?.closeAllConnections()
  await new Promise((r) => echo?.close(r))
  rmSync(dir, { recursive: true, force: true })
})

describe('the failure paths leave the password nowhere', () => {
  it('a wrong password: Sprawdź połączenie says SOURCE_AUTH_FAILED; the import fails with the same reason', async () => {
    const s = await shop()
    const c = await call<ConnectionCheckResponse>('POST', '/connections/check', creds(s.url, WRONG))
    expect(c.body).toMatchObject({ ok: false, error: { code: 'SOURCE_AUTH_FAILED' } })
    expect((await call<ConnectionCheckResponse>('POST', '/connections/check', creds(s.url))).body).toMatchObject({ ok: true })
    const id = await createImport(s.url, WRONG)
    const d = await settle(id)
    expect(d.status).toBe('fetch_failed')
    expect(d.generation.lastError?.code).toBe('SOURCE_AUTH_FAILED')
    await call('GET', '/imports')
  })

  it('a shop failing with 500s: fetch_failed, a resume fails again, usuń źródło wipes the credentials', async () => {
    const s = await shop({ faults: { status500Every: 1 } })
    const id = await createImport(s.url)
    expect((await settle(id)).status).toBe('fetch_failed')
    expect((await call('POST', `/imports/${id}/resume`)).status).toBe(202)
    const again = await settle(id)
    expect(again.status).toBe('fetch_failed')
    expect(again.generation.lastError?.code).toMatch(/^SOURCE_/)
    const del = await call<ImportDetails>('DELETE', `/imports/${id}/source`)
    expect(del.body).toMatchObject({ status: 'source_deleted', hasCredentials: false })
  })

  it('a shop echoing the password and the Authorization header: the check and the fetch repeat none of it', async () => {
    const c = await call<ConnectionCheckResponse>('POST', '/connections/check', creds(echoUrl, ECHOED))
    expect(c.body).toMatchObject({ ok: false, error: { code: 'SOURCE_AUTH_FAILED' } })
    const id = await createImport(echoUrl, ECHOED)
    const d = await settle(id)
    expect(d.status).toBe('fetch_failed')
    // the shop's own words are in the reason, redacted
    expect(d.generation.lastError?.message).toMatch(/auth_failure/)
    await call('DELETE', `/imports/${id}/source`)
  })

  it('malformed requests that carry the password: 400 with the envelope, the password not repeated', async () => {
    const s = await shop()
    const bad = [
      { ...creds('nie jest adresem'), password: PASSWORD },
      { ...creds(s.url), password: `${PASSWORD}${'x'.repeat(600)}` },
      { ...creds(s.url), platform: 'woocommerce' },
      { ...creds(s.url), platform: 'magento2' },
      { ...creds(s.url), login: '' },
      { ...creds(s.url), login: PASSWORD, password: 12345 },
    ]
    for (const body of bad) {
      expect((await call('POST', '/connections/check', body)).status).toBe(400)
      expect((await call('POST', '/imports', { credentials: body, shopIds: ['1'] })).status).toBe(400)
    }
    // a body that is not JSON at all
    expect((await call('POST', '/imports', `{"credentials":{"password":"${PASSWORD}"`)).status).toBe(400)
  })

  it('usuń źródło during a fetch: the partial file and the credentials go', async () => {
    const s = await shop({ faults: { delayMs: 120 } })
    const id = await createImport(s.url)
    await t.waitFor(() => details(id), (d) => d.progress.fetched > 0)
    const del = await call<ImportDetails>('DELETE', `/imports/${id}/source`)
    expect(del.body).toMatchObject({ status: 'source_deleted', hasCredentials: false })
  })

  it('search: responses, log lines, the files folder and the database file hold none of the passwords', async () => {
    const rc = reliabilityCase('credentials', 'failure paths: password in no response, log line, file or database')
    // let the workers' last writes land before reading the files
    await new Promise((r) => setTimeout(r, 200))
    const rows = await t.orm.em.fork().getConnection().execute<Array<{ id: number; credentials: string | null; status: string }>>('select id, credentials, status from xcm_import')
    const needles = [PASSWORD, WRONG, ECHOED].flatMap((pw) => {
      const basic = Buffer.from(`${LOGIN}:${pw}`, 'utf8')
      return [pw, encodeURIComponent(pw), basic.toString('base64'), basic.toString('base64url'), Buffer.from(pw, 'utf8').toString('base64')]
    })
    const files = walk(dir)
    expect(files.some((f) => f.endsWith('module.sqlite'))).toBe(true)
    const places: Array<[string, string]> = [
      ...responses.map((r, i): [string, string] => [`response #${i}`, r]),
      ...logLines.map((l, i): [string, string] => [`log line #${i}`, l]),
      // latin1 keeps every byte: a UTF-8 needle is searched as its bytes
      ...files.map((f): [string, string] => [f, readFileSync(f).toString('latin1')]),
    ]
    const found: string[] = []
    // each distinct form once: two needles may encode to the same text
    const forms = new Set(needles.flatMap((n) => [n, Buffer.from(n, 'utf8').toString('latin1')]))
    let occurrences = 0
    for (const [where, haystack] of places) {
      for (const form of forms) {
        const n = haystack.split(form).length - 1
        if (n > 0) found.push(`${form} ×${n} in ${where}`)
        occurrences += n
      }
    }
    rc.tried(places.length)
    rc.measure({ credentialLeaks: occurrences })
    expect(found).toEqual([])
    // the failed fetch with the wrong password still holds its (sealed) credentials; everything else is wiped
    expect(rows.filter((r) => r.credentials !== null).map((r) => r.status)).toEqual(['fetch_failed'])
    expect(responses.length).toBeGreaterThan(20)
    expect(logLines.length).toBeGreaterThan(5)
  })
})

function walk(root: string): string[] {
  if (!existsSync(root)) return []
  return readdirSync(root).flatMap((n) => {
    const p = path.join(root, n)
    return statSync(p).isDirectory() ? walk(p) : [p]
  })
}
