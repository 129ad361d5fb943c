/**
 * A host process dies mid-fetch (SIGKILL: no stop hook, no flush, its bree worker dies with it)
 * and a new one is started on the same DATA_DIR. The module must pick the import up at once
 * from its checkpoint (the host keeps a stable instance id in DATA_DIR/instance-id, so the
 * dead process's lease is its own) and finish the file with every customer exactly once.
 *
 * The mock host runs as a real child process (`node --import tsx e2e/mock-host/main.ts`);
 * the Shoper mock runs here, 600 customers, 60 ms an answer, so the fetch takes seconds.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BufferList, ImportDetails } from '@cm/contracts'
import { generateShoperDemoData, shoperDemoProblemCount } from '../../backend/src/connectors/shoper/shoper.demo-data.ts'
import { startShoperMock, type RunningShoperMock } from '../../backend/src/connectors/shoper/shoper.mock-server.ts'
import { DEMO_SHOPER_SEED } from '../mock-host/demo-shoper.ts'
import { reliabilityCase } from '../../backend/src/testing/reliability.ts'
import { PanelClient } from './panel-client.ts'
import { freePort } from './free-port.ts'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const COUNT = 600
const CUSTOMERS = COUNT - shoperDemoProblemCount(COUNT, 'guest')
/** kill once this many source accounts are fetched (and checkpointed) */
const KILL_AT = 150
const LOGIN = 'api-migracja'
const PASSWORD = 'Hasło-Crash-3b7e'
/** the module's lease lifetime: a resume that had to wait for the dead process's lease would take this long */
const LEASE_MS = 60_000

const dataDir = mkdtempSync(path.join(tmpdir(), 'cm-crash-'))
const children: ChildProcess[] = []
const output: string[] = []
let shop: RunningShoperMock
let env: Record<string, string>
let baseUrl = ''

/** the mock host as a child process: node itself (not npx), so SIGKILL hits the process that runs the workers */
function startHost(label: string): ChildProcess {
  const inherited = { ...process.env }
  delete inherited.DATABASE_URL
  delete inherited.INSTANCE_ID
  const child = spawn(process.execPath, ['--import', 'tsx', 'e2e/mock-host/main.ts'], {
    cwd: ROOT,
    env: { ...inherited, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const keep = (chunk: Buffer) => output.push(...chunk.toString().split('\n').filter(Boolean).map((l) => `[${label}] ${l}`))
  child.stdout!.on('data', keep)
  child.stderr!.on('data', keep)
  children.push(child)
  return child
}

const exited = (child: ChildProcess) => child.exitCode !== null || child.signalCode !== null

async function waitHealthy(child: ChildProcess, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs
  for (;;) {
    if (exited(child)) throw new Error(`the mock host exited (${child.exitCode ?? child.signalCode}):\n${output.slice(-30).join('\n')}`)
    const ok = await fetch(`${baseUrl}/health`).then((r) => r.ok, () => false)
    if (ok) return
    if (Date.now() > end) throw new Error(`the mock host did not answer /health in ${timeoutMs} ms:\n${output.slice(-30).join('\n')}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

async function kill(child: ChildProcess): Promise<void> {
  if (exited(child)) return
  const gone = new Promise<void>((r) => child.once('exit', () => r()))
  child.kill('SIGKILL')
  await gone
}

async function signedIn(): Promise<PanelClient> {
  const client = new PanelClient({ baseUrl })
  await client.login('operator', 'operator')
  return client
}

beforeAll(async () => {
  shop = await startShoperMock({
    port: 0,
    hostname: '127.0.0.1',
    login: LOGIN,
    password: PASSWORD,
    data: generateShoperDemoData({ count: COUNT, seed: DEMO_SHOPER_SEED }),
    // a wide bucket: the 60 ms per answer sets the pace, not Shoper's 2 calls a second
    bucket: { limit: 40, leakPerSecond: 20 },
    faults: { delayMs: 60 },
    // one page an answer, so the kill lands mid-fetch (bulk would read the 600 in a few calls)
    bulk: false,
  })
  const port = await freePort()
  baseUrl = `http://127.0.0.1:${port}`
  env = {
    PORT: String(port),
    DATA_DIR: dataDir,
    SMTP_PORT: String(await freePort()),
    DEMO_SHOPER_PORT: String(await freePort()),
    START_DEMO_SHOPER: 'false',
    DEMO_CUSTOMERS: String(COUNT),
  }
})

afterAll(async () => {
  // whatever failed above, no host process outlives the test
  await Promise.all(children.map(kill))
  await shop?.close()
  rmSync(dataDir, { recursive: true, force: true })
})

describe('a host killed with SIGKILL in the middle of a fetch', () => {
  let importId = ''
  let killedAt = 0
  let instanceId = ''

  it('first process: the import is fetching, past a checkpoint, when the process is killed', async () => {
    const first = startHost('host-1')
    await waitHealthy(first)
    instanceId = readFileSync(path.join(dataDir, 'instance-id'), 'utf8').trim()
    expect(instanceId).not.toBe('')
    const client = await signedIn()
    const created = await client.call('POST', '/imports', ImportDetails, {
      credentials: { platform: 'shoper', domain: shop.url, login: LOGIN, password: PASSWORD },
      shopIds: ['1'],
    })
    importId = created.id
    const mid = await client.until(
      () => client.call('GET', `/imports/${importId}`, ImportDetails),
      (d) => d.progress.fetched >= KILL_AT || d.status !== 'awaiting_xml',
      30_000,
    )
    await kill(first)
    expect(first.signalCode).toBe('SIGKILL')
    expect(mid.status).toBe('awaiting_xml')
    expect(mid.progress.fetched).toBeLessThan(COUNT)
    killedAt = mid.progress.fetched
  })

  it('what the dead process left: a live lease in its instance id (another id would wait up to a minute) and a checkpoint', () => {
    // what the next process opens: WAL recovered, nothing flushed by the dead one
    const db = new Database(path.join(dataDir, 'panel.sqlite'))
    try {
      const row = db.prepare('select status, lease_owner, lease_until, checkpoint from xcm_import where id = ?').get(Number(importId)) as {
        status: string
        lease_owner: string | null
        lease_until: number | string | null
        checkpoint: string | null
      }
      expect(row.status).toBe('awaiting_xml')
      expect(row.lease_owner).toBe(instanceId)
      expect(new Date(row.lease_until!).getTime()).toBeGreaterThan(Date.now())
      const checkpoint = JSON.parse(row.checkpoint!) as { read: number; customers: number; bytes: number }
      expect(checkpoint.read).toBeGreaterThanOrEqual(KILL_AT)
      expect(checkpoint.bytes).toBeGreaterThan(0)
    } finally {
      db.close()
    }
  })

  it('second process, same DATA_DIR and instance id: resumes at once from the checkpoint and completes the file, every non-guest customer once', async () => {
    const rc = reliabilityCase('process', `SIGKILL during fetch (${COUNT} source customers, killed at ${killedAt}), restart resumes`)
    expect(importId).not.toBe('')
    const requestsWhileDown = shop.mock.state.requests
    const second = startHost('host-2')
    const started = Date.now()
    await waitHealthy(second)
    expect(readFileSync(path.join(dataDir, 'instance-id'), 'utf8').trim()).toBe(instanceId)
    const client = await signedIn()
    const done = await client.until(
      () => client.call('GET', `/imports/${importId}`, ImportDetails),
      (d) => d.status !== 'awaiting_xml',
      // far less than the lease: the restarted process must not wait for its own dead lease
      LEASE_MS / 2,
    )
    const resumedIn = Date.now() - started
    // the file itself, counted before any check: every non-guest customer of the source, once
    rc.tried(1)
    const file = await client.raw('GET', `${client.api}/imports/${importId}/file`)
    const ids = file.status === 200 ? [...file.text.matchAll(/<customer sourceId="([^"]*)">/g)].map((m) => m[1]!) : []
    const inFile = new Set(ids)
    const expected = shop.mock.data.users.filter((u) => u.registered === '1').map((u) => String(u.user_id))
    rc.measure({ customersLost: expected.filter((x) => !inFile.has(x)).length, customersDuplicated: ids.length - inFile.size })
    expect(done.status, JSON.stringify(done.generation.lastError)).toBe('awaiting_verification')
    expect(shop.mock.state.requests).toBeGreaterThan(requestsWhileDown)
    expect(done.generation.resumes).toBeGreaterThanOrEqual(1)
    expect(done.generation.lastError).toBeNull()
    expect(done.file.customers).toBe(CUSTOMERS)
    expect(done.generation.leftOut.guest).toBe(COUNT - CUSTOMERS)
    expect(done.progress).toEqual({ fetched: COUNT, total: COUNT })
    expect(done.hasCredentials).toBe(false)
    // pages are counted with each checkpoint: a fetch that started over would count the early pages twice
    expect(done.generation.pagesFetched).toBe(COUNT / 50 + 1)
    expect(done.generation.customersWritten).toBe(CUSTOMERS)

    // the file itself: every customer exactly once (a resume that re-wrote a page would double it)
    expect(file.status).toBe(200)
    expect(ids).toHaveLength(CUSTOMERS)
    expect(new Set(ids).size).toBe(CUSTOMERS)
    expect(file.text).toMatch(new RegExp(`count="${CUSTOMERS}"`))
    console.info(
      `[crash-resume] killed at ${killedAt}/${COUNT}; restarted host finished the file in ${resumedIn} ms ` +
        `(resumes ${done.generation.resumes}, requests ${done.generation.requests}, pages ${done.generation.pagesFetched})`,
    )
  }, 60_000)

  it('Sprawdź i zaimportuj accepts the resumed file: the buffer holds every customer once', async () => {
    const client = await signedIn()
    await client.call('POST', `/imports/${importId}/verify`, ImportDetails)
    const verified = await client.until(() => client.call('GET', `/imports/${importId}`, ImportDetails), (d) => d.status !== 'verifying', 30_000)
    expect(verified.verification?.errors ?? []).toEqual([])
    expect(verified.status).toBe('buffered')
    expect(verified.verification).toMatchObject({ ok: true, customers: CUSTOMERS })
    const buffer = await client.call('GET', `/imports/${importId}/buffer?limit=1`, BufferList)
    expect(buffer.total).toBe(CUSTOMERS)
    expect(verified.counts.pending).toBe(CUSTOMERS)
  })
})
