import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadModuleManifest } from './manifest-check.ts'
import { hostScriptRoutes } from './host-scripts.ts'
import { remoteAssetRoutes, remoteAssets, REPO_ROOT } from './remote-assets.ts'

const manifest = loadModuleManifest()

describe('the built remote, served on the panel origin', () => {
  let root: string
  beforeAll(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'remote-assets-'))
  })
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }))

  it('is found through the manifest (frontend.entry → its folder) and served under /ext/<id>/', () => {
    const assets = remoteAssets(manifest)
    expect(assets.distDir).toBe(path.join(REPO_ROOT, 'frontend/dist'))
    expect(assets.publicPath).toBe('/ext/customer-migration/')
    expect(assets.entryUrl).toBe('/ext/customer-migration/remoteEntry.js')
  })

  it('says to run npm run build while the remote is not built', async () => {
    const assets = remoteAssets(manifest, { root })
    expect(assets.isBuilt()).toBe(false)
    const res = await remoteAssetRoutes(assets).request('/ext/customer-migration/remoteEntry.js')
    expect(res.status).toBe(503)
    expect(await res.text()).toContain('npm run build')
  })

  it('serves the built files, and nothing outside them', async () => {
    const dist = path.join(root, path.dirname(manifest.frontend.entry))
    fs.mkdirSync(path.join(dist, 'assets'), { recursive: true })
    fs.writeFileSync(path.join(dist, 'remoteEntry.js'), 'export const x = 1')
    fs.writeFileSync(path.join(dist, 'assets', 'a-12345678.js'), 'export default 2')
    fs.writeFileSync(path.join(root, 'secret.txt'), 'no')
    const app = remoteAssetRoutes(remoteAssets(manifest, { root }))
    const entry = await app.request('/ext/customer-migration/remoteEntry.js')
    expect(entry.status).toBe(200)
    expect(entry.headers.get('content-type')).toMatch(/javascript/)
    expect(await entry.text()).toBe('export const x = 1')
    expect((await app.request('/ext/customer-migration/assets/a-12345678.js')).status).toBe(200)
    expect((await app.request('/ext/customer-migration/../secret.txt')).status).toBe(404)
    expect((await app.request('/ext/customer-migration/%2e%2e/secret.txt')).status).toBe(404)
    expect((await app.request('/ext/customer-migration/missing.js')).status).toBe(404)
  })
})

describe('the host scripts', () => {
  it('bundles @module-federation/runtime into one ES module for the plain host', async () => {
    const res = await hostScriptRoutes().request('/host/mf-runtime.js')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/javascript/)
    const js = await res.text()
    expect(js).toMatch(/export\s*\{[^}]*createInstance/)
    expect(js).not.toMatch(/from\s*["']@module-federation/)
  })

  it("bundles the panel page's host with its shared vue and pinia", async () => {
    const js = await (await hostScriptRoutes().request('/host/panel-host.js')).text()
    expect(js).toContain('loadRemote')
    expect(js).toContain('^3.5.0')
    expect(js).not.toMatch(/\bimport\s*[{*"']/)
  })

  it('knows no other script', async () => {
    expect((await hostScriptRoutes().request('/host/other.js')).status).toBe(404)
  })
})
