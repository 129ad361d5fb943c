import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createMockHost, type MockHost } from './app.ts'
import { loadConfig } from './config.ts'

/** The host put together with the real module, driven through app.request (no sockets). */
describe('mock host app', () => {
  let dir: string
  let host: MockHost

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'panel-app-'))
    const cfg = loadConfig({ DATA_DIR: dir, DEMO_CUSTOMERS: '100', START_DEMO_SHOPER: 'false' })
    host = await createMockHost({ ...cfg, smtpPort: 0, db: { kind: 'sqlite', path: ':memory:' } }, { log: () => undefined })
    await host.start({ listen: false })
  })
  afterAll(async () => {
    await host.close()
    fs.rmSync(dir, { recursive: true, force: true })
  })

  async function signIn(login: string): Promise<string> {
    const res = await host.app.request('/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ login, password: login }),
    })
    expect(res.status).toBe(200)
    return (res.headers.get('set-cookie') ?? '').split(';')[0]!
  }

  it('answers health and serves the manifest', async () => {
    expect(await (await host.app.request('/health')).json()).toEqual({ ok: true })
    expect(await (await host.app.request('/module.manifest.json')).json()).toMatchObject({ id: 'customer-migration' })
  })

  it('lists the seeded customer base with keyset pages, only to a signed-in user', async () => {
    expect((await host.app.request('/api/customers')).status).toBe(401)
    const cookie = await signIn('operator')
    const first = (await (await host.app.request('/api/customers?limit=150', { headers: { cookie } })).json()) as {
      items: Array<{ id: string; shops: unknown[] }>
      nextCursor: string | null
      total: number
    }
    expect(first.total).toBe(200)
    expect(first.items).toHaveLength(150)
    expect(first.items[0]?.shops.length).toBeGreaterThan(0)
    const second = (await (await host.app.request(`/api/customers?limit=150&cursor=${first.nextCursor}`, { headers: { cookie } })).json()) as {
      items: unknown[]
      nextCursor: string | null
    }
    expect(second.items).toHaveLength(50)
    expect(second.nextCursor).toBeNull()
  })

  it("mounts the module where the manifest says, and the module sees the host's session", async () => {
    expect((await host.app.request('/api/customer-migration/shops')).status).toBe(401)
    const cookie = await signIn('admin')
    const res = await host.app.request('/api/customer-migration/shops', { headers: { cookie } })
    expect(res.status).toBe(200)
    expect(((await res.json()) as { items: unknown[] }).items).toHaveLength(3)
  })

  it('sends a visitor without a session from the panel page to the login page', async () => {
    const res = await host.app.request('/klienci/eksport-import?mode=migration')
    expect(res.status).toBe(302)
    expect(res.headers.get('location')).toBe('/login?next=%2Fklienci%2Feksport-import%3Fmode%3Dmigration')
    const cookie = await signIn('admin')
    const page = await (await host.app.request('/klienci/eksport-import?mode=migration', { headers: { cookie } })).text()
    expect(page).toContain('Migracja klientów z innego sklepu')
    expect(page).toContain('id="customer-migration-root"')
  })

  it('mounts the remote on the templates page for the chosen shop, on its template screen', async () => {
    const cookie = await signIn('admin')
    const list = await (await host.app.request('/administracja/wiadomosci-transakcyjne', { headers: { cookie } })).text()
    expect(list).not.toContain('id="customer-migration-root"')
    const shopId = /data-shop-id="([^"]+)"/.exec(list)![1]!
    const page = await (await host.app.request(`/administracja/wiadomosci-transakcyjne?shop=${shopId}`, { headers: { cookie } })).text()
    expect(page).toContain('id="customer-migration-root"')
    expect(page).toMatch(/data-initial-screen="template"[\s\S]*data-shop-id="/)
  })
})

describe('mock host without a built remote', () => {
  let dir: string
  let host: MockHost

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'panel-nodist-'))
    // the manifest's paths are relative to its folder: here there is no frontend/dist
    fs.copyFileSync(new URL('../../module.manifest.json', import.meta.url), path.join(dir, 'module.manifest.json'))
    const cfg = loadConfig({ DATA_DIR: dir, DEMO_CUSTOMERS: '10', START_DEMO_SHOPER: 'false' })
    host = await createMockHost(
      { ...cfg, smtpPort: 0, db: { kind: 'sqlite', path: ':memory:' } },
      { manifestPath: path.join(dir, 'module.manifest.json'), log: () => undefined },
    )
    await host.start({ listen: false })
  })
  afterAll(async () => {
    await host.close()
    fs.rmSync(dir, { recursive: true, force: true })
  })

  it('says on the page and on the remote entry to run npm run build', async () => {
    expect(host.remote.isBuilt()).toBe(false)
    const login = await host.app.request('/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ login: 'admin', password: 'admin' }),
    })
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!
    const page = await (await host.app.request('/klienci/eksport-import?mode=migration', { headers: { cookie } })).text()
    expect(page).toContain('data-state="not-built"')
    expect(page).toContain('npm run build')
    expect(page).not.toContain('/host/panel-host.js')
    const entry = await host.app.request('/ext/customer-migration/remoteEntry.js')
    expect(entry.status).toBe(503)
    expect(await entry.text()).toContain('npm run build')
  })
})
