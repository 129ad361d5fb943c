/**
 * ALLOW_PRIVATE_SOURCES=false makes the mock host behave like production: its own demo Shoper
 * shop (on loopback, plain http) is refused by Sprawdź połączenie and by Zapisz i zleć import, and
 * is never connected to. With the mock host's default (true) the same shop is reachable.
 */
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { reliabilityCase } from '../../backend/src/testing/reliability.ts'
import { createMockHost, type MockHost } from './app.ts'
import { loadConfig } from './config.ts'

const API = '/api/customer-migration'
const dirs: string[] = []
const hosts: MockHost[] = []

/** every outgoing socket of this process, by target port */
const connectsTo: number[] = []
const originalConnect = net.Socket.prototype.connect

async function startHost(env: Record<string, string>): Promise<MockHost> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'panel-private-'))
  dirs.push(dir)
  const cfg = loadConfig({ DATA_DIR: dir, DEMO_CUSTOMERS: '20', DEMO_SHOPER_PORT: '0', DEMO_WOOCOMMERCE_PORT: '0', DEMO_PRESTASHOP_PORT: '0', DEMO_SHOPIFY_PORT: '0', DEMO_MAGENTO_PORT: '0', ...env })
  const host = await createMockHost({ ...cfg, smtpPort: 0, db: { kind: 'sqlite', path: ':memory:' } }, { log: () => undefined })
  hosts.push(host)
  await host.start({ listen: false })
  return host
}

async function signIn(host: MockHost, login: string): Promise<string> {
  const res = await host.app.request('/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login, password: login }) })
  expect(res.status).toBe(200)
  return (res.headers.get('set-cookie') ?? '').split(';')[0]!
}

function post(host: MockHost, cookie: string, url: string, body: unknown) {
  return host.app.request(`${API}${url}`, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: JSON.stringify(body) })
}

beforeAll(() => {
  net.Socket.prototype.connect = function (this: net.Socket, ...args: unknown[]) {
    const a = args[0]
    // undici hands the port over as a string
    const opts = (Array.isArray(a) ? a[0] : a) as { port?: number | string } | number | string
    const port = Number(typeof opts === 'object' && opts ? opts.port : opts)
    if (Number.isFinite(port)) connectsTo.push(port)
    return (originalConnect as (...x: unknown[]) => net.Socket).apply(this, args)
  } as typeof net.Socket.prototype.connect
})

afterAll(async () => {
  net.Socket.prototype.connect = originalConnect
  for (const h of hosts) await h.close()
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true })
})

describe('ALLOW_PRIVATE_SOURCES=false: the mock host runs the module like production', () => {
  let host: MockHost
  let demo: URL
  beforeAll(async () => {
    host = await startHost({ ALLOW_PRIVATE_SOURCES: 'false' })
    demo = new URL(host.urls.demoShoper!)
  })

  it('reads the setting, and plain http follows it', () => {
    expect(loadConfig({ ALLOW_PRIVATE_SOURCES: 'false' })).toMatchObject({ allowPrivateSources: false, allowHttpSources: false })
    expect(loadConfig({})).toMatchObject({ allowPrivateSources: true, allowHttpSources: true })
  })

  it('refuses its own demo shop: check ok:false SOURCE_ADDRESS_NOT_ALLOWED, import 422, the shop never connected to', async () => {
    const rc = reliabilityCase('ssrf', 'mock host with ALLOW_PRIVATE_SOURCES=false refuses its demo shop')
    const cookie = await signIn(host, 'admin')
    const port = Number(demo.port)
    const before = connectsTo.filter((p) => p === port).length
    const domains = [demo.origin, `https://127.0.0.1:${port}`, `https://localhost:${port}`, `https://[::1]:${port}`, `https://2130706433:${port}`]
    for (const domain of domains) {
      const creds = { platform: 'shoper', domain, login: 'demo', password: 'demo' }
      const check = await post(host, cookie, '/connections/check', creds)
      const checked = (await check.json()) as { ok: boolean; error?: { code: string } }
      rc.tried(1)
      if (!checked.ok && checked.error?.code === 'SOURCE_ADDRESS_NOT_ALLOWED') rc.rejected(1)
      const created = await post(host, cookie, '/imports', { credentials: creds, shopIds: ['1'] })
      const refused = (await created.json()) as { error?: { code: string } }
      rc.tried(1)
      if (created.status === 422 && refused.error?.code === 'SOURCE_ADDRESS_NOT_ALLOWED') rc.rejected(1)
      expect(check.status).toBe(200)
      expect(checked).toMatchObject({ ok: false, error: { code: 'SOURCE_ADDRESS_NOT_ALLOWED' } })
      expect(created.status).toBe(422)
      expect(refused.error?.code).toBe('SOURCE_ADDRESS_NOT_ALLOWED')
    }
    expect(connectsTo.filter((p) => p === port).length).toBe(before)
    const list = await host.app.request(`${API}/imports`, { headers: { cookie } })
    expect(((await list.json()) as { total: number }).total).toBe(0)
  })
})

describe('control: the mock host default reaches the same demo shop', () => {
  it('check ok:true with the demo credentials', async () => {
    const host = await startHost({})
    const cookie = await signIn(host, 'admin')
    const check = await post(host, cookie, '/connections/check', { platform: 'shoper', domain: host.urls.demoShoper, login: 'demo', password: 'demo' })
    expect(await check.json()).toMatchObject({ ok: true })
    expect(connectsTo).toContain(Number(new URL(host.urls.demoShoper!).port))
  })
})
