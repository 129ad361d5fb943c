/**
 * Issue 4, item 6, the life of stored source credentials, through the module's HTTP API on a
 * SQLite file (so the module can be restarted on the same database):
 * - sealed at create (AES-256-GCM, `v1.<keyId>.…`), wiped when the file is complete and on usuń źródło;
 * - a key rotation: the host restarts the module with a new current key and the old one still
 *   readable; start() re-seals every stored credential with the new key (an interrupted fetch is
 *   then resumed by the sweep, a failed one by Wznów), and once the old key is removed both still
 *   work; a credential sealed with a key that is gone does not stop the module from starting.
 */
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ImportDetails } from '@cm/contracts'
import { generateShoperDemoData } from '../connectors/shoper/shoper.demo-data.ts'
import { startShoperMock, type RunningShoperMock, type ShoperMockOptions } from '../connectors/shoper/shoper.mock-server.ts'
import type { ModuleSettings, SecretsPort } from '../ports.ts'
import { reliabilityCase } from '../testing/reliability.ts'
import { startTestModule } from '../testing/test-module.ts'
import { sealSecret } from './credential-cipher.ts'
import { countSecret } from './secret-search.testing.ts'

type T = Awaited<ReturnType<typeof startTestModule>>

const LOGIN = 'api-rotacja'
const PASSWORD = 'Rotacja-Hasło-3c9e!'
const k1 = randomBytes(32)
const k2 = randomBytes(32)
const K1_ONLY: SecretsPort = { credentialKeys: () => ({ currentId: 'k1', keys: { k1 } }) }
const K2_WITH_K1: SecretsPort = { credentialKeys: () => ({ currentId: 'k2', keys: { k1, k2 } }) }
const K2_ONLY: SecretsPort = { credentialKeys: () => ({ currentId: 'k2', keys: { k2 } }) }

let dir = ''
let dbName = ''
let storageDir = ''
const shops: RunningShoperMock[] = []
const logs: Array<{ level: string; msg: string; data?: Record<string, unknown> }> = []

const settings: Partial<ModuleSettings> = {
  allowPrivateSources: true,
  allowHttpSources: true,
  source: { requestTimeoutMs: 2_000, retries: 1, minRetryDelayMs: 10, maxRetryDelayMs: 20 },
  // the same host process identity across restarts: it takes its own leases back at once
  instanceId: 'rotation-host',
  log: (level, msg, data) => logs.push({ level, msg, ...(data ? { data } : {}) }),
}

async function shop(opts: Partial<ShoperMockOptions> = {}): Promise<RunningShoperMock> {
  const s = await startShoperMock({ port: 0, login: LOGIN, password: PASSWORD, data: generateShoperDemoData({ count: 60, seed: 5 }), bucket: { limit: 100, leakPerSecond: 100 }, ...opts })
  shops.push(s)
  return s
}

const start = (secrets: SecretsPort) => startTestModule({ secrets, storage: { dir: storageDir }, settings }, { dbName })
const creds = (domain: string) => ({ platform: 'shoper', domain, login: LOGIN, password: PASSWORD })
const post = (body?: unknown): RequestInit => ({ method: 'POST', ...(body === undefined ? {} : { body: JSON.stringify(body) }) })
const details = (t: T, id: string) => t.json<ImportDetails>('operator', `/imports/${id}`).then((r) => r.body)

async function storedCredentials(t: T, id: string): Promise<string | null> {
  const rows = await t.orm.em.fork().getConnection().execute<Array<{ credentials: string | null }>>('select credentials from xcm_import where id = ?', [Number(id)])
  return rows[0]!.credentials
}

/** the password in plain form in every table, the files under `paths` and the log: counted while the module is open */
const leaksIn = async (t: T, paths: string[]) => ({ credentialLeaks: await countSecret({ secret: PASSWORD, login: LOGIN, orm: t.orm, paths, texts: logs.map((l) => JSON.stringify(l)) }) })

async function createImport(t: T, domain: string): Promise<string> {
  const r = await t.json<ImportDetails>('operator', '/imports', post({ credentials: creds(domain), shopIds: ['1'] }))
  expect(r.status, JSON.stringify(r.body)).toBe(201)
  return r.body.id
}

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'cm-rotation-'))
  dbName = path.join(dir, 'module.sqlite')
  storageDir = path.join(dir, 'files')
})
afterAll(async () => {
  await Promise.all(shops.map((s) => s.close()))
  rmSync(dir, { recursive: true, force: true })
})

describe('credentials are wiped when no longer needed', () => {
  let t: T
  beforeAll(async () => (t = await startTestModule({ settings })))
  afterAll(async () => t?.close())

  it('sealed at create; null in the database once the file is complete', async () => {
    const rc = reliabilityCase('credentials', 'wiped once the file is complete')
    rc.atEnd(() => leaksIn(t, [t.ports.storage.dir]))
    const s = await shop()
    const id = await createImport(t, s.url)
    const sealed = await storedCredentials(t, id)
    expect(sealed).toMatch(/^v1\.k1\./)
    expect(sealed).not.toContain(PASSWORD)
    expect((await details(t, id)).hasCredentials).toBe(true)
    const done = await t.waitFor(() => details(t, id), (d) => d.status !== 'awaiting_xml')
    expect(done.status).toBe('awaiting_verification')
    expect(await storedCredentials(t, id)).toBeNull()
    expect(done.hasCredentials).toBe(false)
  })

  it('null in the database after usuń źródło (a failed fetch)', async () => {
    const rc = reliabilityCase('credentials', 'wiped on usuń źródło')
    rc.atEnd(() => leaksIn(t, [t.ports.storage.dir]))
    const s = await shop({ faults: { status500Every: 1 } })
    const id = await createImport(t, s.url)
    const failed = await t.waitFor(() => details(t, id), (d) => d.status !== 'awaiting_xml')
    expect(failed.status).toBe('fetch_failed')
    expect(await storedCredentials(t, id)).toMatch(/^v1\.k1\./)
    const del = await t.json<ImportDetails>('operator', `/imports/${id}/source`, { method: 'DELETE' })
    expect(del.body).toMatchObject({ status: 'source_deleted', hasCredentials: false })
    expect(await storedCredentials(t, id)).toBeNull()
    // and they cannot come back: a resume has nothing to open
    expect((await t.json('operator', `/imports/${id}/resume`, post())).status).toBe(409)
  })
})

describe('key rotation across restarts on one database', () => {
  const ids = { interrupted: '', failed: '', failedToo: '' }
  const before: Record<string, string | null> = {}
  let slow: RunningShoperMock
  let failing: RunningShoperMock
  let failingToo: RunningShoperMock

  it('under k1: one fetch interrupted by the stop, two failed; all three sealed with k1', async () => {
    const t = await start(K1_ONLY)
    try {
      slow = await shop({ faults: { delayMs: 150 } })
      failing = await shop({ faults: { status500Every: 1 } })
      failingToo = await shop({ faults: { status500Every: 1 } })
      ids.failed = await createImport(t, failing.url)
      ids.failedToo = await createImport(t, failingToo.url)
      ids.interrupted = await createImport(t, slow.url)
      await t.waitFor(() => details(t, ids.interrupted), (d) => d.progress.fetched > 0)
      for (const id of [ids.failed, ids.failedToo]) expect((await t.waitFor(() => details(t, id), (d) => d.status !== 'awaiting_xml')).status).toBe('fetch_failed')
      for (const [name, id] of Object.entries(ids)) {
        before[name] = await storedCredentials(t, id)
        expect(before[name], name).toMatch(/^v1\.k1\./)
      }
    } finally {
      await t.close()
    }
    // stop() keeps the interrupted import waiting for its file
    const again = await start(K1_ONLY)
    try {
      expect((await details(again, ids.interrupted)).status).toBe('awaiting_xml')
    } finally {
      await again.close()
    }
  })

  it('restarted with k2 current and k1 readable: start re-seals all three with k2; the interrupted fetch completes; a failed one resumes', async () => {
    const rc = reliabilityCase('credentials', 'key rotation: re-sealed at start, fetches resume')
    logs.length = 0
    const t = await start(K2_WITH_K1)
    try {
      for (const [name, id] of Object.entries(ids)) {
        const now = await storedCredentials(t, id)
        rc.tried(1)
        // the interrupted one may have completed already (and been wiped) by the time we look
        if (name === 'interrupted' && now === null) continue
        expect(now, name).toMatch(/^v1\.k2\./)
        expect(now).not.toBe(before[name])
      }
      expect(logs.find((l) => l.msg.includes('re-sealed'))?.data).toMatchObject({ resealed: 3, unreadable: 0 })
      const resumed = await t.waitFor(() => details(t, ids.interrupted), (d) => d.status !== 'awaiting_xml', 30_000)
      expect(resumed.status).toBe('awaiting_verification')
      expect(resumed.generation.resumes).toBeGreaterThanOrEqual(1)
      expect(await storedCredentials(t, ids.interrupted)).toBeNull()

      failing.mock.setFaults({})
      expect((await t.json('operator', `/imports/${ids.failed}/resume`, post())).status).toBe(202)
      const d = await t.waitFor(() => details(t, ids.failed), (x) => x.status !== 'awaiting_xml')
      expect(d.status).toBe('awaiting_verification')
      expect(await storedCredentials(t, ids.failed)).toBeNull()
      expect(await storedCredentials(t, ids.failedToo)).toMatch(/^v1\.k2\./)
    } finally {
      rc.measure(await leaksIn(t, [dir]))
      await t.close()
    }
  })

  it('k1 removed: the re-sealed credentials still open, the last failed fetch resumes and completes', async () => {
    const rc = reliabilityCase('credentials', 'old key removed after the re-seal: the fetch still opens its credentials')
    logs.length = 0
    const t = await start(K2_ONLY)
    try {
      expect(logs.filter((l) => l.level !== 'info')).toEqual([])
      failingToo.mock.setFaults({})
      expect((await t.json('operator', `/imports/${ids.failedToo}/resume`, post())).status).toBe(202)
      const d = await t.waitFor(() => details(t, ids.failedToo), (x) => x.status !== 'awaiting_xml')
      expect(d.status).toBe('awaiting_verification')
      expect(d.progress.fetched).toBe(60)
      expect(await storedCredentials(t, ids.failedToo)).toBeNull()
    } finally {
      rc.measure(await leaksIn(t, [dir]))
      await t.close()
    }
  })

  it('a credential sealed with a key that is gone, on an interrupted fetch: start still succeeds; the import fails with the reason; the sealed value stays', async () => {
    const rc = reliabilityCase('credentials', 'unreadable credential does not stop the start')
    const t0 = await start(K2_ONLY)
    let id = ''
    let orphan = ''
    try {
      const s = await shop({ faults: { status500Every: 1 } })
      id = await createImport(t0, s.url)
      await t0.waitFor(() => details(t0, id), (d) => d.status !== 'awaiting_xml')
      // as if sealed under a k0 the host no longer has
      orphan = sealSecret(JSON.stringify(creds(s.url)), { currentId: 'k0', keys: { k0: randomBytes(32) } }, `customer-migration:import:${id}`)
      // and interrupted while waiting for its file: the start's sweep will try to resume it
      await t0.orm.em.fork().getConnection().execute(`update xcm_import set credentials = ?, status = 'awaiting_xml' where id = ?`, [orphan, Number(id)])
    } finally {
      await t0.close()
    }
    logs.length = 0
    const t = await start(K2_ONLY)
    try {
      expect((await t.json('operator', '/platforms')).status).toBe(200)
      const warns = logs.filter((l) => l.level === 'warn' && l.msg.includes('cannot be opened'))
      // once by the re-seal at start, once by the fetch that could not start
      expect(warns.map((w) => w.data)).toEqual([expect.objectContaining({ importId: Number(id) }), expect.objectContaining({ importId: Number(id) })])
      expect(JSON.stringify(logs)).not.toContain(PASSWORD)
      const d = await details(t, id)
      expect(d.status).toBe('fetch_failed')
      expect(d.generation.lastError?.code).toBe('CREDENTIALS_UNREADABLE')
      expect(d.hasCredentials).toBe(true)
      expect(await storedCredentials(t, id)).toBe(orphan)
    } finally {
      rc.measure(await leaksIn(t, [dir]))
      await t.close()
    }
  })
})
