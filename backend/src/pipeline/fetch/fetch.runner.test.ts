/**
 * The fetch as an admin drives it, through the module's HTTP API (in-memory SQLite, real bree
 * workers) against a real Shoper mock over HTTP with 200 demo customers: connection checks,
 * a 429 storm, 500s past the retries and a resume, usuń źródło mid-fetch, a second import of
 * the same shop, and the production default that refuses a loopback shop. Two more at the
 * runner's level: usuń źródło answered by another instance on the same database, and two
 * starts of one fetch at once.
 */
import { existsSync, readdirSync } from 'node:fs'
import net from 'node:net'
import Bree from 'bree'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { BufferedCustomer, ConnectionCheckResponse, ImportDetails, ListEnvelope } from '@cm/contracts'
import { generateShoperDemoData, shoperDemoProblemCount } from '../../connectors/shoper/shoper.demo-data.ts'
import { startShoperMock, type RunningShoperMock, type ShoperMockOptions } from '../../connectors/shoper/shoper.mock-server.ts'
import { ImportEntity } from '../../db/import.entity.ts'
import { createCustomerMigrationModule } from '../../module.ts'
import { createMemoryPorts, TEST_USERS } from '../../testing/memory-ports.ts'
import { jobContext } from '../../testing/job-context.ts'
import { startTestModule } from '../../testing/test-module.ts'
import { createImport as createImportRow } from '../import-job.service.ts'
import { startFetch } from './fetch.runner.ts'

type T = Awaited<ReturnType<typeof startTestModule>>
type ErrorBody = { error: { code: string; message: string; details?: unknown } }

const COUNT = 200
const SEED = 20_240_611
/** guests (registered "0") are left out of the file; everybody else is a customer to migrate */
const CUSTOMERS = COUNT - shoperDemoProblemCount(COUNT, 'guest')
const LOGIN = 'api-migracja'
const PASSWORD = 'Hasło-Źródła-9d2f'

let t: T
const shops: RunningShoperMock[] = []
const rawServers: Array<{ server: net.Server; sockets: Set<net.Socket> }> = []

/** a Shoper mock on its own port (its own domain, so imports of different mocks never clash) */
async function shop(opts: Partial<ShoperMockOptions> = {}): Promise<RunningShoperMock> {
  const s = await startShoperMock({
    port: 0,
    login: LOGIN,
    password: PASSWORD,
    data: generateShoperDemoData({ count: COUNT, seed: SEED }),
    // wider than Shoper's 10 @ 2/s so the time goes to the faults under test, not the bucket
    bucket: { limit: 40, leakPerSecond: 20 },
    // single calls (a shop without bulk): the faults are timed per request and per page
    bulk: false,
    ...opts,
  })
  shops.push(s)
  return s
}

const creds = (domain: string, password = PASSWORD) => ({ platform: 'shoper' as const, domain, login: LOGIN, password })
const post = (body?: unknown): RequestInit => ({ method: 'POST', ...(body === undefined ? {} : { body: JSON.stringify(body) }) })
const details = (id: string) => t.json<ImportDetails>('operator', `/imports/${id}`).then((r) => r.body)
const check = (body: unknown) => t.json<ConnectionCheckResponse | ErrorBody>('operator', '/connections/check', post(body))

async function createImport(domain: string): Promise<ImportDetails> {
  const r = await t.json<ImportDetails>('operator', '/imports', post({ credentials: creds(domain), shopIds: ['1'] }))
  expect(r.status, JSON.stringify(r.body)).toBe(201)
  expect(r.body.status).toBe('awaiting_xml')
  return r.body
}

const waitDetails = (id: string, until: (d: ImportDetails) => boolean, timeoutMs = 30_000) => t.waitFor(() => details(id), until, timeoutMs)

/** every sourceId of the downloaded XML, in file order */
async function fileSourceIds(id: string): Promise<string[]> {
  const res = await t.request('operator', `/imports/${id}/file`)
  expect(res.status).toBe(200)
  const xml = await res.text()
  const ids = [...xml.matchAll(/<customer sourceId="([^"]*)">/g)].map((m) => m[1]!)
  // no customer element without the attribute slipped past the pattern
  expect(xml.match(/<customer[\s>]/g)?.length ?? 0).toBe(ids.length)
  return ids
}

/** Sprawdź i zaimportuj, then the buffer's size */
async function verifyToBuffer(id: string): Promise<{ status: string; pending: number; bufferTotal: number }> {
  const v = await t.json('operator', `/imports/${id}/verify`, post())
  expect(v.status).toBe(202)
  const d = await waitDetails(id, (x) => x.status !== 'verifying')
  expect(d.verification?.errors ?? []).toEqual([])
  const buf = await t.json<ListEnvelope<BufferedCustomer>>('operator', `/imports/${id}/buffer?limit=1`)
  return { status: d.status, pending: d.counts.pending, bufferTotal: buf.body.total }
}

/**
 * The 429 storms spend ~20 s in Retry-After waits (1 s a 429, every 2nd request throttled): they
 * are queued first and checked last, so that the other tests of this file run meanwhile.
 */
const STORMS = [
  { name: 'Retry-After in seconds', faults: { status429Every: 2 } },
  { name: 'Retry-After as an HTTP date', faults: { status429Every: 2, retryAfterHttpDate: true } },
]
const storms: Array<{ name: string; shop: RunningShoperMock; id: string }> = []

beforeAll(async () => {
  t = await startTestModule()
  for (const v of STORMS) {
    const s = await shop({ faults: v.faults })
    storms.push({ name: v.name, shop: s, id: (await createImport(s.url)).id })
  }
})

afterAll(async () => {
  await t?.close()
  await Promise.all(shops.map((s) => s.close()))
  for (const r of rawServers) for (const socket of r.sockets) socket.destroy()
  await Promise.all(rawServers.map((r) => new Promise<void>((done) => r.server.close(() => done()))))
})

describe('POST /connections/check', () => {
  it('right credentials: ok with the number of source users (guests included)', async () => {
    const s = await shop()
    const r = await check(creds(s.url))
    expect(r.status).toBe(200)
    expect(r.body).toMatchObject({ ok: true, customerCount: COUNT })
  })

  it('a wrong password: 200 ok:false SOURCE_AUTH_FAILED with a message, never the password', async () => {
    const s = await shop()
    const r = await check(creds(s.url, 'zle-haslo-123'))
    expect(r.status).toBe(200)
    expect(r.body).toMatchObject({ ok: false, error: { code: 'SOURCE_AUTH_FAILED', message: expect.stringMatching(/\S/) } })
    expect(JSON.stringify(r.body)).not.toContain('zle-haslo-123')
  })

  it('a port nobody listens on: 200 ok:false SOURCE_UNREACHABLE', async () => {
    const port = await closedPort()
    const r = await check(creds(`http://127.0.0.1:${port}`))
    expect(r.status).toBe(200)
    expect(r.body).toMatchObject({ ok: false, error: { code: 'SOURCE_UNREACHABLE' } })
  })

  it('a malformed body (no platform, a domain that is no URL, no password): 400 with the error envelope', async () => {
    for (const body of [{ domain: 'http://127.0.0.1:1', login: 'a', password: 'b' }, { platform: 'shoper', domain: 'nie adres', login: 'a' }]) {
      const r = await check(body)
      expect(r.status).toBe(400)
      expect(r.body).toMatchObject({ error: { code: 'VALIDATION_FAILED', message: expect.any(String) } })
    }
    const raw = await t.request('operator', '/connections/check', { method: 'POST', body: '{not json' })
    expect(raw.status).toBe(400)
    expect(await raw.json()).toMatchObject({ error: { code: expect.any(String), message: expect.any(String) } })
  })

  it('a server that accepts the connection and never answers: ok:false (SOURCE_TIMEOUT) well within 15 s', async () => {
    const open = new Set<net.Socket>()
    let accepted = 0
    // accepts and reads (so it sees the client hang up), answers nothing
    const server = net.createServer((socket) => {
      accepted++
      open.add(socket)
      socket.on('close', () => open.delete(socket))
      socket.resume()
    })
    rawServers.push({ server, sockets: open })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()))
    const port = (server.address() as net.AddressInfo).port
    const started = Date.now()
    const r = await check(creds(`http://127.0.0.1:${port}`))
    const elapsed = Date.now() - started
    expect(r.status).toBe(200)
    expect(r.body).toMatchObject({ ok: false, error: { code: 'SOURCE_TIMEOUT' } })
    expect(elapsed).toBeLessThan(15_000)
    expect(accepted).toBeGreaterThan(0) // it did connect: this was a timeout, not a refusal
    // and the module lets go of the connections it gave up on (no socket left hanging per check)
    await t.waitFor(async () => open.size, (n) => n === 0, 3_000)
    console.info(`[fetch.runner.test] silent server: ok:false after ${elapsed} ms`)
  }, 20_000)
})

describe('500s beyond the retries', () => {
  it('fail the fetch with SOURCE_SERVER_ERROR and keep the checkpoint; resume then completes the file without duplicates', async () => {
    // slow enough to catch it after its first page, then the shop breaks down
    const s = await shop({ faults: { delayMs: 120 } })
    const created = await createImport(s.url)
    const partial = await waitDetails(created.id, (d) => d.progress.fetched > 0 || d.status !== 'awaiting_xml')
    expect(partial.status).toBe('awaiting_xml')
    s.mock.setFaults({ status500Every: 1 })
    const failed = await waitDetails(created.id, (d) => d.status !== 'awaiting_xml')
    expect(failed.status).toBe('fetch_failed')
    expect(failed.generation.lastError).toMatchObject({ code: 'SOURCE_SERVER_ERROR', message: expect.any(String) })
    expect(failed.generation.retries).toBeGreaterThan(0)
    expect(failed.hasCredentials).toBe(true)
    expect(failed.progress.fetched).toBeGreaterThan(0)
    expect(failed.progress.fetched).toBeLessThan(COUNT)
    const row = await t.orm.em.fork().findOneOrFail(ImportEntity, { id: Number(created.id) })
    expect(row.checkpoint).not.toBeNull()
    expect(row.checkpoint!.read).toBe(failed.progress.fetched)
    expect(row.leaseOwner).toBeNull()

    s.mock.setFaults({})
    const resumed = await t.json<ImportDetails>('operator', `/imports/${created.id}/resume`, post())
    expect(resumed.status).toBe(202)
    const done = await waitDetails(created.id, (d) => d.status !== 'awaiting_xml')
    expect(done.status, JSON.stringify(done.generation.lastError)).toBe('awaiting_verification')
    expect(done.generation.lastError).toBeNull()
    expect(done.generation.resumes).toBe(1)
    expect(done.file.customers).toBe(CUSTOMERS)
    expect(done.progress).toEqual({ fetched: COUNT, total: COUNT })
    const ids = await fileSourceIds(created.id)
    expect(ids).toHaveLength(CUSTOMERS)
    expect(new Set(ids).size).toBe(CUSTOMERS)
    expect(await verifyToBuffer(created.id)).toEqual({ status: 'buffered', pending: CUSTOMERS, bufferTotal: CUSTOMERS })
    console.info(`[fetch.runner.test] 500s: failed at ${failed.progress.fetched}/${COUNT} after ${failed.generation.retries} retries; resumed once to ${done.file.customers}`)
  })
})

describe('a slow source (200 ms an answer) while it is being fetched', () => {
  let s: RunningShoperMock
  let id = ''
  beforeAll(async () => {
    s = await shop({ faults: { delayMs: 200 } })
    id = (await createImport(s.url)).id
    await waitDetails(id, (d) => d.progress.fetched > 0 || d.status !== 'awaiting_xml')
  })

  it('a second POST /imports for the same shop is refused: 409 IMPORT_ALREADY_RUNNING, and no second import appears', async () => {
    const before = await t.json<ListEnvelope<ImportDetails>>('operator', '/imports?limit=500')
    const r = await t.json<ErrorBody>('operator', '/imports', post({ credentials: creds(s.url), shopIds: ['2'] }))
    expect(r.status).toBe(409)
    expect(r.body.error.code).toBe('IMPORT_ALREADY_RUNNING')
    const after = await t.json<ListEnvelope<ImportDetails>>('operator', '/imports?limit=500')
    expect(after.body.total).toBe(before.body.total)
    expect((await details(id)).status).toBe('awaiting_xml')
  })

  it('usuń źródło stops it within 1 s for good: source_deleted, credentials and partial file gone, the shop hears nothing more; a second DELETE is harmless', async () => {
    const file = `${t.ports.storage.dir}/import-${id}.xml`
    expect(existsSync(file)).toBe(true)
    const started = Date.now()
    const r = await t.json<ImportDetails>('operator', `/imports/${id}/source`, { method: 'DELETE' })
    const elapsed = Date.now() - started
    expect(r.status).toBe(200)
    expect(elapsed).toBeLessThan(1_000)
    expect(r.body).toMatchObject({ status: 'source_deleted', hasCredentials: false, file: { available: false, size: 0 } })
    expect(existsSync(file)).toBe(false)
    expect(readdirSync(t.ports.storage.dir).filter((f) => f.includes(`import-${id}.`))).toEqual([])

    const requestsAtDelete = s.mock.state.requests
    // a worker still running would have sent several requests in this time (one every ~200 ms)
    await new Promise((res) => setTimeout(res, 1_200))
    expect(s.mock.state.requests).toBe(requestsAtDelete)
    const d = await details(id)
    expect(d.status).toBe('source_deleted')
    expect(d.generation.lastError).toBeNull()
    expect(existsSync(file)).toBe(false)

    const again = await t.json<ImportDetails>('operator', `/imports/${id}/source`, { method: 'DELETE' })
    expect(again.status).toBe(200)
    expect(again.body).toMatchObject({ status: 'source_deleted', hasCredentials: false })
    // and it is final: resume is refused
    const resume = await t.json<ErrorBody>('operator', `/imports/${id}/resume`, post())
    expect(resume.status).toBe(409)
    console.info(`[fetch.runner.test] usuń źródło answered in ${elapsed} ms; mock requests ${requestsAtDelete} then none`)
  })
})

describe('two host instances on one database (production: several instances behind a balancer)', () => {
  let other: ReturnType<typeof createCustomerMigrationModule>
  let otherBree: Bree
  beforeAll(async () => {
    // a second instance of the module: same database and storage, its own bree and instance id
    const { ports } = createMemoryPorts({ storage: t.ports.storage })
    other = createCustomerMigrationModule(ports)
    otherBree = new Bree({ root: false, logger: false, acceptedExtensions: ['.ts', '.js', '.mjs'], jobs: [] })
    await other.start({ orm: t.orm, bree: otherBree })
  })
  afterAll(async () => {
    await other?.stop()
    await otherBree?.stop()
  })

  it('usuń źródło answered by the instance that does not run the fetch still stops it for good: the source hears nothing more after the page in flight, the file is gone', async () => {
    // 600 customers (12 pages): a fetch that went on regardless would call the source ~45 more times
    const s = await shop({ data: generateShoperDemoData({ count: 600, seed: SEED }), faults: { delayMs: 150 } })
    const id = (await createImport(s.url)).id
    await waitDetails(id, (d) => d.progress.fetched > 0 || d.status !== 'awaiting_xml')
    const file = `${t.ports.storage.dir}/import-${id}.xml`
    const res = await other.app.request(`/imports/${id}/source`, { method: 'DELETE', headers: { 'x-test-user': 'operator' } })
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ status: 'source_deleted', hasCredentials: false })
    const atDelete = s.mock.state.requests
    // the running instance learns of it at its next checkpoint (one page: ~4 requests of 150 ms), then stops
    const quiet = await t.waitFor(
      async () => {
        const before = s.mock.state.requests
        await new Promise((r) => setTimeout(r, 700))
        return { before, after: s.mock.state.requests }
      },
      (q) => q.after === q.before,
      6_000,
    )
    const afterDelete = quiet.after - atDelete
    // the page in flight (~4 requests) and perhaps the first request of the next one
    expect(afterDelete).toBeLessThanOrEqual(8)
    const d = await details(id)
    expect(d).toMatchObject({ status: 'source_deleted', hasCredentials: false, file: { available: false } })
    expect(d.progress.fetched).toBeLessThan(600)
    expect(existsSync(file)).toBe(false)
    const row = await t.orm.em.fork().findOneOrFail(ImportEntity, { id: Number(id) })
    expect(row.leaseOwner).toBeNull()
    console.info(`[fetch.runner.test] usuń źródło on the other instance: ${afterDelete} more source requests, then none`)
  })
})

describe('startFetch called twice at once (the 30 s sweep meeting POST /imports or resume)', () => {
  it('runs one worker: the source sees one login, the file holds every customer once, the import does not fail', async () => {
    const s = await shop({ faults: { delayMs: 30 } })
    const logs: string[] = []
    const { ctx, bree } = jobContext({
      orm: t.orm,
      storageDir: t.ports.storage.dir,
      instanceId: 'race-test',
      log: (level, msg, data) => logs.push(`${level} ${msg} ${JSON.stringify(data ?? {})}`),
    })
    try {
      // the row is created with its own start held back (a stopping module starts nothing), then
      // two starts race as the sweep and a request would
      ctx.stopping = true
      const row = await createImportRow(ctx, { credentials: creds(s.url), shopIds: ['1'] }, TEST_USERS.operator!)
      ctx.stopping = false
      await Promise.all([startFetch(ctx, row.id), startFetch(ctx, row.id)])
      const id = String(row.id)
      const done = await waitDetails(id, (d) => d.status !== 'awaiting_xml')
      expect(done.status, JSON.stringify(done.generation.lastError)).toBe('awaiting_verification')
      expect(logs.filter((l) => l.includes('fetch started'))).toHaveLength(1)
      expect(s.mock.state.authCalls).toBe(1)
      expect(done.file.customers).toBe(CUSTOMERS)
      const ids = await fileSourceIds(id)
      expect(new Set(ids).size).toBe(ids.length)
      expect(ids).toHaveLength(CUSTOMERS)
    } finally {
      await Promise.all([...ctx.jobs.values()].map((j) => j.cancel()))
      await bree.stop()
    }
  })
})

describe('the module default (allowPrivateSources false)', () => {
  let strict: T
  beforeAll(async () => {
    strict = await startTestModule({ settings: { allowPrivateSources: false, allowHttpSources: true } })
  })
  afterAll(async () => strict?.close())

  it('refuses a 127.0.0.1 shop: check ok:false SOURCE_ADDRESS_NOT_ALLOWED, POST /imports 422, and the shop is never called', async () => {
    const s = await shop()
    const c = await strict.json<ConnectionCheckResponse>('operator', '/connections/check', post(creds(s.url)))
    expect(c.status).toBe(200)
    expect(c.body).toMatchObject({ ok: false, error: { code: 'SOURCE_ADDRESS_NOT_ALLOWED' } })
    const r = await strict.json<ErrorBody>('operator', '/imports', post({ credentials: creds(s.url), shopIds: ['1'] }))
    expect(r.status).toBe(422)
    expect(r.body.error.code).toBe('SOURCE_ADDRESS_NOT_ALLOWED')
    const list = await strict.json<ListEnvelope<ImportDetails>>('operator', '/imports')
    expect(list.body.total).toBe(0)
    expect(s.mock.state.requests).toBe(0)
  })
})

describe('a 429 storm slows the fetch but loses nothing (imports queued in beforeAll)', () => {
  for (const [i, v] of STORMS.entries()) {
    it(`every 2nd request answers 429 (${v.name}): file, buffer and download hold every non-guest customer once`, async () => {
      const { shop: s, id } = storms[i]!
      const done = await waitDetails(id, (d) => d.status !== 'awaiting_xml', 40_000)
      expect(done.status, JSON.stringify(done.generation.lastError)).toBe('awaiting_verification')
      expect(done.file.customers).toBe(CUSTOMERS)
      expect(done.progress).toEqual({ fetched: COUNT, total: COUNT })
      expect(done.generation.rateLimitWaits).toBeGreaterThan(0)
      expect(done.generation.rateLimitWaitMs).toBeGreaterThanOrEqual(done.generation.rateLimitWaits * 500)
      expect(done.generation.leftOut.guest).toBe(COUNT - CUSTOMERS)
      expect(done.generation.lastError).toBeNull()
      expect(done.hasCredentials).toBe(false)
      expect(s.mock.state.throttled).toBeGreaterThan(0)
      const ids = await fileSourceIds(id)
      expect(ids).toHaveLength(CUSTOMERS)
      expect(new Set(ids).size).toBe(CUSTOMERS)
      expect(await verifyToBuffer(id)).toEqual({ status: 'buffered', pending: CUSTOMERS, bufferTotal: CUSTOMERS })
      console.info(
        `[fetch.runner.test] 429 storm (${v.name}): ${done.generation.rateLimitWaits} waits, ${done.generation.rateLimitWaitMs} ms waited, ` +
          `${done.generation.requests} requests, mock throttled ${s.mock.state.throttled}`,
      )
    }, 45_000)
  }
})

/** a port that was free a moment ago */
async function closedPort(): Promise<number> {
  const s = net.createServer()
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()))
  const port = (s.address() as net.AddressInfo).port
  await new Promise<void>((r) => s.close(() => r()))
  return port
}
