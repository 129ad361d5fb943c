/**
 * PrestaShop's Webservice hands out every customer's `passwd` (bcrypt), `secure_key` and
 * `reset_password_token`. A whole migration from a PrestaShop mock that really sends them
 * (connection check, fetch, XML file and its download, verify, buffer lists, import of everyone,
 * imported list, notification), then every secret value is searched, in its plain, URL-encoded
 * and base64 forms, in: every response body and header of the module's API, every log line,
 * every file under the module's folder (the XML file included) and every table of the database.
 * None may be found; the search prints what it looked through.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ConnectionCheckResponse, ImportDetails } from '@cm/contracts'
import { generatePrestaShopDemoData, prestashopSecretValues } from '../connectors/prestashop/prestashop.demo-data.ts'
import { startPrestaShopMock, type RunningPrestaShopMock } from '../connectors/prestashop/prestashop.mock-http.ts'
import type { WsMethod } from '../connectors/prestashop/prestashop.mock-server.ts'
import { startTestModule } from '../testing/test-module.ts'
import { countSecret } from './secret-search.testing.ts'

type T = Awaited<ReturnType<typeof startTestModule>>

const KEY = 'SEKRETY7PRESTASHOP0TEST00000001X'
const VIEW: WsMethod[] = ['GET', 'HEAD']
const data = generatePrestaShopDemoData({ count: 180, seed: 19 })
const secrets = {
  passwd: data.customers.map((c) => c.passwd).filter(Boolean),
  secure_key: data.customers.map((c) => c.secure_key).filter(Boolean),
  reset_password_token: data.customers.map((c) => c.reset_password_token ?? '').filter(Boolean),
}

let dir = ''
let t: T
let shop: RunningPrestaShopMock
const responses: string[] = []
const logLines: string[] = []

async function call<B = unknown>(method: string, url: string, body?: unknown): Promise<{ status: number; body: B; text: string }> {
  const res = await t.module.app.request(url, {
    method,
    headers: { 'x-test-user': 'admin', 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
  const text = await res.text()
  responses.push(`${method} ${url} → ${res.status}\n${[...res.headers].map(([k, v]) => `${k}: ${v}`).join('\n')}\n${text}`)
  let parsed: unknown = null
  try {
    parsed = JSON.parse(text)
  } catch {
    // the XML download
  }
  return { status: res.status, body: parsed as B, text }
}
const details = (id: string) => call<ImportDetails>('GET', `/imports/${id}`).then((r) => r.body)

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'cm-ps-secrets-'))
  shop = await startPrestaShopMock({
    port: 0,
    data,
    keys: [{ key: KEY, resources: { customers: VIEW, addresses: VIEW, countries: VIEW, languages: VIEW, groups: VIEW } }],
  })
  t = await startTestModule(
    {
      storage: { dir: path.join(dir, 'files') },
      settings: {
        allowPrivateSources: true,
        allowHttpSources: true,
        source: { requestTimeoutMs: 5_000, retries: 1, minRetryDelayMs: 10, maxRetryDelayMs: 20 },
        log: (level, msg, extra) => logLines.push(JSON.stringify({ level, msg, extra })),
      },
    },
    { dbName: path.join(dir, 'module.sqlite') },
  )
}, 30_000)

afterAll(async () => {
  await t?.close()
  await shop?.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('PrestaShop secrets (passwd, secure_key, reset_password_token) through a whole migration', () => {
  it('are found nowhere: responses, logs, the XML file, the database', async () => {
    const check = await call<ConnectionCheckResponse>('POST', '/connections/check', { platform: 'prestashop', domain: shop.url, apiKey: KEY })
    expect(check.body).toMatchObject({ ok: true })
    const created = await call<ImportDetails>('POST', '/imports', { credentials: { platform: 'prestashop', domain: shop.url, apiKey: KEY }, shopIds: ['1'] })
    expect(created.status, created.text).toBe(201)
    const id = created.body.id
    const fetched = await t.waitFor(() => details(id), (d) => d.status !== 'awaiting_xml', 60_000)
    expect(fetched.status).toBe('awaiting_verification')
    const file = await call('GET', `/imports/${id}/file`)
    expect(file.status).toBe(200)
    expect(file.text).toContain('<customer')

    expect((await call('POST', `/imports/${id}/verify`)).status).toBe(202)
    await t.waitFor(() => details(id), (d) => d.status === 'buffered', 60_000)
    expect((await call('GET', `/imports/${id}/buffer?limit=200`)).status).toBe(200)
    expect((await call('POST', `/imports/${id}/buffer/import`, { all: true })).status).toBe(202)
    const done = await t.waitFor(() => details(id), (d) => d.counts.pending === 0, 60_000)
    expect(done.counts.imported).toBeGreaterThan(0)
    expect((await call('GET', `/imports/${id}/imported?limit=200`)).status).toBe(200)
    expect((await call('POST', `/imports/${id}/imported/notify`, { all: true })).status).toBeLessThan(300)

    // the shop really handed them out, so a search that finds nothing means something
    expect(shop.mock.state.secretsSent).toBeGreaterThan(0)
    const all = [...secrets.passwd, ...secrets.secure_key, ...secrets.reset_password_token]
    expect([...all].sort()).toEqual([...prestashopSecretValues(data)].sort())
    let found = 0
    for (const secret of all) found += await countSecret({ secret, orm: t.orm, paths: [dir], texts: [...responses, ...logLines] })
    const tables = Object.values(t.orm.getMetadata().getAll()).filter((m) => m.tableName).length
    console.log(
      `[prestashop secret search] searched ${all.length} values (passwd ${secrets.passwd.length}, secure_key ${secrets.secure_key.length}, ` +
        `reset_password_token ${secrets.reset_password_token.length}; plain, URL-encoded, base64) in ${responses.length} API answers ` +
        `(${responses.reduce((n, r) => n + r.length, 0)} chars), ${logLines.length} log lines, the module's folder (XML file ${file.text.length} chars, SQLite file) ` +
        `and ${tables} tables (${done.counts.imported} customers imported; shop sent ${shop.mock.state.secretsSent} rows with secrets): found ${found}`,
    )
    expect(found).toBe(0)
  }, 120_000)
})
