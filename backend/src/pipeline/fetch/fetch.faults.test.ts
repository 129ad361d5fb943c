/**
 * reliability: source faults, injected through the Shoper mock's fault plan, against the module's
 * HTTP API (in-memory SQLite, real bree workers, the mock over a real socket on port 0).
 *
 * Each case says what it tried and ends one of two ways, never in a silently incomplete file:
 *  - complete: awaiting_verification, and the downloaded file holds exactly the mock's users minus
 *    guests (at the end of the fetch: users added meanwhile are in, users deleted unread are not),
 *    each once;
 *  - failed: fetch_failed with lastError {code, message} and a checkpoint; after the fault is
 *    lifted (setFaults({})) POST /imports/:id/resume completes the same file, exact.
 *
 * Every case runs at once (its own mock and import; started in beforeAll, checked in its `it`),
 * so the file's time is that of its slowest case.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ImportDetails } from '@cm/contracts'
import { generateShoperDemoData } from '../../connectors/shoper/shoper.demo-data.ts'
import { startShoperMock, type RunningShoperMock, type ShoperFaults, type ShoperMockOptions, type ShoperMockState } from '../../connectors/shoper/shoper.mock-server.ts'
import { ImportEntity, type FetchCheckpoint } from '../../db/import.entity.ts'
import type { ModuleSettings } from '../../ports.ts'
import { reliabilityCase } from '../../testing/reliability.ts'
import { startTestModule } from '../../testing/test-module.ts'

type T = Awaited<ReturnType<typeof startTestModule>>

const COUNT = 150
const SEED = 4_404
const LOGIN = 'api-migracja'
const PASSWORD = 'Hasło-Źródła-4c1e'
/** the circuit breaker module's threshold; its retries (10) are set above it on purpose */
const BREAKER = 4

/**
 * Cases run this many at a time: each fetch is a worker thread compiling its job on start, and a
 * starved CPU would turn every request into a timeout.
 */
const PARALLEL = 4
/** the request timeout: well above an answer on a busy machine, well below the slow fault's 4 s */
const TIMEOUT_MS = 2_000
/** small backoff; 4 retries stay below the breaker's 8, as in the defaults (5 < 8) */
const SOURCE: ModuleSettings['source'] = { requestTimeoutMs: TIMEOUT_MS, retries: 4, minRetryDelayMs: 20, maxRetryDelayMs: 200, maxConsecutiveFailures: 8 }
/** whatever the retries, a dead source hears at most BREAKER failing requests */
const BREAKER_SOURCE: ModuleSettings['source'] = { ...SOURCE, retries: 10, maxConsecutiveFailures: BREAKER }

const settings = (source: ModuleSettings['source']): Partial<ModuleSettings> => ({
  allowPrivateSources: true,
  allowHttpSources: true,
  source,
  log: (level, msg, data) => {
    if (level === 'error') console.error(`[customer-migration] ${msg}`, data)
  },
})

interface Case {
  /** what was tried, for the test name and the reliability record */
  name: string
  /** faults from the first request on */
  faults?: ShoperFaults
  /** faults switched on only once the first page is checkpointed (so a failure has a checkpoint) */
  midway?: ShoperFaults
  module?: 'main' | 'breaker'
  outcome: 'complete' | { failsWith: string }
  /** what else must hold (that the fault did hit, and how it was handled) */
  check?: (r: Run) => void
}

interface Run {
  id: string
  shop: RunningShoperMock
  /** the details when the fetch failed (before the resume) */
  failed: ImportDetails | null
  checkpoint: FetchCheckpoint | null
  /** the mock's counters when the midway faults were switched on */
  atSwitch: ShoperMockState | null
  /** the mock's counters when the fetch failed */
  atFailure: ShoperMockState | null
  done: ImportDetails
  /** sourceIds of the downloaded file, in file order */
  fileIds: string[]
  /** the mock's users that must be in the file (non-guests at the end of the fetch) */
  expected: string[]
  /** every user the mock holds at the end, guests included */
  usersAtEnd: number
  ms: number
}

const CASES: Case[] = [
  {
    name: '429 with Retry-After in seconds on every 5th request',
    faults: { status429Every: 5, retryAfterSeconds: 1 },
    outcome: 'complete',
    check: (r) => {
      expect(r.shop.mock.state.throttled).toBeGreaterThan(0)
      expect(r.done.generation.rateLimitWaits).toBeGreaterThanOrEqual(r.shop.mock.state.throttled)
      expect(r.done.generation.rateLimitWaitMs).toBeGreaterThanOrEqual(r.shop.mock.state.throttled * 1000)
      expect(r.done.generation.retries).toBe(0) // waits, not retries
    },
  },
  {
    name: '429 with Retry-After as an HTTP date on every 5th request',
    faults: { status429Every: 5, retryAfterSeconds: 1, retryAfterHttpDate: true },
    outcome: 'complete',
    check: (r) => {
      expect(r.shop.mock.state.throttled).toBeGreaterThan(0)
      expect(r.done.generation.rateLimitWaits).toBeGreaterThanOrEqual(r.shop.mock.state.throttled)
      expect(r.done.generation.retries).toBe(0)
    },
  },
  {
    name: '429 without Retry-After on every 3rd request',
    faults: { status429Every: 3, retryAfterMissing: true },
    outcome: 'complete',
    check: (r) => {
      expect(r.shop.mock.state.throttled).toBeGreaterThan(0)
      // the client's own backoff, at least 500 ms a 429
      expect(r.done.generation.rateLimitWaitMs).toBeGreaterThanOrEqual(r.shop.mock.state.throttled * 500)
    },
  },
  ...([500, 502, 503] as const).map(
    (status): Case => ({
      name: `HTTP ${status} (JSON) on every 3rd request`,
      faults: { serverErrorEvery: 3, serverErrorStatus: status, retryAfterSeconds: 1 },
      outcome: 'complete',
      check: (r) => {
        expect(r.shop.mock.state.faulted).toBeGreaterThan(0)
        expect(r.done.generation.retries).toBe(r.shop.mock.state.faulted)
      },
    }),
  ),
  {
    name: 'HTTP 503 on every request after the first page, past all retries',
    midway: { serverErrorEvery: 1, serverErrorStatus: 503, retryAfterSeconds: 0 },
    outcome: { failsWith: 'SOURCE_SERVER_ERROR' },
    check: (r) => {
      // one call: the first try and its 4 retries, then the fetch stops
      expect(r.atFailure!.requests - r.atSwitch!.requests).toBe(SOURCE.retries + 1)
    },
  },
  {
    name: `answers slower than the request timeout (${TIMEOUT_MS} ms) on every 6th request`,
    faults: { slowEvery: 6, slowMs: 2 * TIMEOUT_MS },
    outcome: 'complete',
    check: (r) => {
      expect(r.shop.mock.state.faulted).toBeGreaterThan(0)
      expect(r.done.generation.retries).toBeGreaterThanOrEqual(r.shop.mock.state.faulted)
    },
  },
  {
    name: 'connection reset on every 4th request',
    faults: { resetEvery: 4 },
    outcome: 'complete',
    check: (r) => {
      expect(r.shop.mock.state.faulted).toBeGreaterThan(0)
      expect(r.done.generation.retries).toBeGreaterThanOrEqual(r.shop.mock.state.faulted)
    },
  },
  {
    name: 'invalid JSON (a cut-off body) on every 3rd answer',
    faults: { invalidJsonEvery: 3 },
    outcome: 'complete',
    check: (r) => {
      expect(r.shop.mock.state.faulted).toBeGreaterThan(0)
      expect(r.done.generation.retries).toBe(r.shop.mock.state.faulted)
    },
  },
  {
    name: "a proxy's HTML error page (502) on every 3rd request",
    faults: { htmlErrorEvery: 3 },
    outcome: 'complete',
    check: (r) => {
      expect(r.shop.mock.state.faulted).toBeGreaterThan(0)
      expect(r.done.generation.retries).toBe(r.shop.mock.state.faulted)
    },
  },
  {
    name: 'every users page repeats 7 customers of the page before',
    // read by page, a page that starts 7 early while `count` stands still pushes the list's last 7
    // past its last page on every read: no complete read exists, so the fetch must say so
    faults: { repeatUsers: 7 },
    outcome: { failsWith: 'SOURCE_INCONSISTENT' },
    check: (r) => {
      expect(r.shop.mock.state.repeated).toBeGreaterThan(0)
      expect(r.failed!.generation.lastError!.message).toMatch(/counts \d+ users but \d+ complete reads by page found only \d+/)
    },
  },
  {
    name: 'two users pages skip 3 customers each while their count includes them (re-read)',
    faults: { skipUsers: 3, skipUsersPages: 2 },
    outcome: 'complete',
    check: (r) => expect(r.shop.mock.state.skipped).toBe(6),
  },
  {
    name: 'every users page after the first skips 3 customers, re-reads too',
    midway: { skipUsers: 3 },
    outcome: { failsWith: 'SOURCE_INCONSISTENT' },
    check: (r) => {
      expect(r.shop.mock.state.skipped).toBeGreaterThan(0)
      expect(r.failed!.generation.lastError!.message).toMatch(/counts \d+ users but \d+ complete reads by page found only \d+/)
    },
  },
  {
    name: 'the total grows during the fetch (3 users added, 1 unread deleted per page)',
    faults: { addUsersPerPage: 3, deleteUsersPerPage: 1 },
    outcome: 'complete',
    check: (r) => {
      expect(r.shop.mock.state.added).toBeGreaterThan(0)
      expect(r.shop.mock.state.deleted).toBeGreaterThan(0)
      expect(r.usersAtEnd).toBeGreaterThan(COUNT)
    },
  },
  {
    name: 'the total shrinks during the fetch (3 unread users deleted, 1 added per page)',
    faults: { addUsersPerPage: 1, deleteUsersPerPage: 3 },
    outcome: 'complete',
    check: (r) => {
      expect(r.shop.mock.state.added).toBeGreaterThan(0)
      expect(r.shop.mock.state.deleted).toBeGreaterThan(0)
      expect(r.usersAtEnd).toBeLessThan(COUNT)
    },
  },
  {
    name: 'the token expires mid-fetch (after every 4 resource requests)',
    faults: { expireTokenAfterRequests: 4 },
    outcome: 'complete',
    check: (r) => {
      expect(r.shop.mock.state.authCalls).toBeGreaterThan(2)
      expect(r.done.generation.retries).toBe(0)
    },
  },
  {
    name: `circuit breaker: every request a 500 after the first page (retries 10, breaker ${BREAKER})`,
    module: 'breaker',
    midway: { status500Every: 1 },
    outcome: { failsWith: 'SOURCE_UNAVAILABLE' },
    check: (r) => {
      // not the 11 tries of one call's retries: the breaker stops it after BREAKER failures in a row
      expect(r.atFailure!.requests - r.atSwitch!.requests).toBeLessThanOrEqual(BREAKER)
      expect(r.atFailure!.faulted - r.atSwitch!.faulted).toBe(BREAKER)
    },
  },
  {
    name: `circuit breaker: every connection reset after the first page (retries 10, breaker ${BREAKER})`,
    module: 'breaker',
    midway: { resetEvery: 1 },
    outcome: { failsWith: 'SOURCE_UNAVAILABLE' },
    check: (r) => {
      expect(r.atFailure!.requests - r.atSwitch!.requests).toBeLessThanOrEqual(BREAKER)
      expect(r.atFailure!.faulted - r.atSwitch!.faulted).toBe(BREAKER)
    },
  },
]

let main: T
let breaker: T
const shops: RunningShoperMock[] = []
const runs = new Map<string, Promise<Run>>()

const post = (body?: unknown): RequestInit => ({ method: 'POST', ...(body === undefined ? {} : { body: JSON.stringify(body) }) })
const details = (t: T, id: string) => t.json<ImportDetails>('operator', `/imports/${id}`).then((r) => r.body)
const waitDetails = (t: T, id: string, until: (d: ImportDetails) => boolean, timeoutMs = 45_000) => t.waitFor(() => details(t, id), until, timeoutMs)

async function fileSourceIds(t: T, id: string): Promise<string[]> {
  const res = await t.request('operator', `/imports/${id}/file`)
  if (res.status !== 200) throw new Error(`GET /imports/${id}/file answered ${res.status}`)
  const xml = await res.text()
  const ids = [...xml.matchAll(/<customer sourceId="([^"]*)">/g)].map((m) => m[1]!)
  // no customer element without the attribute slipped past the pattern
  if ((xml.match(/<customer[\s>]/g)?.length ?? 0) !== ids.length) throw new Error('a <customer> without sourceId')
  return ids
}

async function run(c: Case): Promise<Run> {
  const started = Date.now()
  const t = c.module === 'breaker' ? breaker : main
  const opts: ShoperMockOptions & { port: number } = {
    port: 0,
    login: LOGIN,
    password: PASSWORD,
    data: generateShoperDemoData({ count: COUNT, seed: SEED }),
    // wider than Shoper's 10 @ 2/s, so the time goes to the faults under test
    bucket: { limit: 40, leakPerSecond: 20 },
    // single calls (a shop without bulk): the faults below are timed per request and per page
    bulk: false,
    // a case switched midway is slowed until then, so that the switch lands after its first page
    faults: c.midway ? { delayMs: 80 } : c.faults,
  }
  const shop = await startShoperMock(opts)
  shops.push(shop)
  const created = await t.json<ImportDetails>('operator', '/imports', post({ credentials: { platform: 'shoper', domain: shop.url, login: LOGIN, password: PASSWORD }, shopIds: ['1'] }))
  if (created.status !== 201) throw new Error(`POST /imports answered ${created.status}: ${JSON.stringify(created.body)}`)
  const id = created.body.id
  let atSwitch: ShoperMockState | null = null
  if (c.midway) {
    await waitDetails(t, id, (d) => d.progress.fetched > 0 || d.status !== 'awaiting_xml')
    atSwitch = { ...shop.mock.state }
    shop.mock.setFaults(c.midway)
  }
  let done = await waitDetails(t, id, (d) => d.status !== 'awaiting_xml')
  let failed: ImportDetails | null = null
  let checkpoint: FetchCheckpoint | null = null
  let atFailure: ShoperMockState | null = null
  if (done.status === 'fetch_failed') {
    failed = done
    atFailure = { ...shop.mock.state }
    checkpoint = (await t.orm.em.fork().findOneOrFail(ImportEntity, { id: Number(id) })).checkpoint ?? null
    // the breaker's promise: nothing more reaches the source once the fetch has failed
    await new Promise((r) => setTimeout(r, 300))
    if (shop.mock.state.requests !== atFailure.requests) throw new Error('the source was called after the fetch had failed')
    shop.mock.setFaults({})
    const resumed = await t.json('operator', `/imports/${id}/resume`, post())
    if (resumed.status !== 202) throw new Error(`resume answered ${resumed.status}`)
    done = await waitDetails(t, id, (d) => d.status !== 'awaiting_xml')
  }
  const fileIds = done.status === 'awaiting_verification' ? await fileSourceIds(t, id) : []
  const users = shop.mock.data.users
  return {
    id,
    shop,
    failed,
    checkpoint,
    atSwitch,
    atFailure,
    done,
    fileIds,
    expected: users.filter((u) => u.registered === '1').map((u) => u.user_id),
    usersAtEnd: users.length,
    ms: Date.now() - started,
  }
}

beforeAll(async () => {
  main = await startTestModule({ settings: settings(SOURCE) })
  breaker = await startTestModule({ settings: settings(BREAKER_SOURCE) })
  const slots = { free: PARALLEL, waiting: [] as Array<() => void> }
  const limited = async (c: Case) => {
    if (slots.free > 0) slots.free--
    else await new Promise<void>((r) => slots.waiting.push(r))
    try {
      return await run(c)
    } finally {
      const next = slots.waiting.shift()
      if (next) next()
      else slots.free++
    }
  }
  // the failing and slow ones first, so that the quick ones fill the gaps
  const order = [...CASES].sort((a, b) => Number(b.outcome !== 'complete') - Number(a.outcome !== 'complete'))
  for (const c of order) {
    const p = limited(c)
    p.catch(() => {}) // reported by its own test
    runs.set(c.name, p)
  }
})

afterAll(async () => {
  await Promise.allSettled(runs.values())
  await main?.close()
  await breaker?.close()
  await Promise.all(shops.map((s) => s.close()))
})

describe('reliability: source faults end in a complete, exact file or in fetch_failed with a checkpoint that resumes exactly', () => {
  for (const c of CASES) {
    const outcome = c.outcome === 'complete' ? 'the file is complete and exact' : `fetch_failed ${c.outcome.failsWith} with a checkpoint; resume completes it exactly`
    it(`${c.name}: ${outcome}`, async () => {
      const rc = reliabilityCase('source', c.name)
      const r = await runs.get(c.name)!
      const g = r.done.generation
      // what survived, measured before any check: the file against the source's own data
      const inFile = new Set(r.fileIds)
      const expected = new Set(r.expected)
      const lost = r.expected.filter((x) => !inFile.has(x)).length
      const duplicated = r.fileIds.length - inFile.size
      rc.tried(1)
      rc.measure({ customersLost: lost, customersDuplicated: duplicated })

      if (c.outcome === 'complete') {
        expect(r.failed, JSON.stringify(r.failed?.generation.lastError)).toBeNull()
        expect(g.resumes).toBe(0)
      } else {
        const f = r.failed
        expect(f, 'the fetch was expected to fail').not.toBeNull()
        expect(f!.status).toBe('fetch_failed')
        expect(f!.generation.lastError).toMatchObject({ code: c.outcome.failsWith, message: expect.stringMatching(/\S{3}/) })
        expect(f!.hasCredentials).toBe(true)
        // the checkpoint it resumes from: what was fetched before the fault, and no more than that
        expect(r.checkpoint).not.toBeNull()
        expect(f!.progress.fetched).toBeGreaterThan(0)
        expect(f!.progress.fetched).toBeLessThan(r.usersAtEnd)
        expect(r.checkpoint!.read).toBe(f!.progress.fetched)
        expect(g.resumes).toBe(1)
      }

      expect(r.done.status, JSON.stringify(g.lastError)).toBe('awaiting_verification')
      expect(g.lastError).toBeNull()
      expect(r.done.hasCredentials).toBe(false)
      expect(r.done.progress).toEqual({ fetched: r.usersAtEnd, total: r.usersAtEnd })
      expect(r.done.file.customers).toBe(r.expected.length)
      expect(g.leftOut.guest).toBe(r.usersAtEnd - r.expected.length)

      // what survived: the file against the source's own data
      const foreign = [...inFile].filter((x) => !expected.has(x))
      expect({ lost, duplicated, foreign }).toEqual({ lost: 0, duplicated: 0, foreign: [] })
      expect(r.fileIds).toHaveLength(r.expected.length)

      c.check?.(r)

      const s = r.shop.mock.state
      console.info(
        `[fetch.faults] ${c.name}: ${r.failed ? `failed ${r.failed.generation.lastError!.code} at ${r.failed.progress.fetched}, resumed; ` : ''}` +
          `${r.fileIds.length} customers, ${g.requests} requests (mock ${s.requests}, faulted ${s.faulted}, throttled ${s.throttled}, auth ${s.authCalls}), ` +
          `${g.retries} retries, ${g.rateLimitWaits} waits / ${g.rateLimitWaitMs} ms, ${r.ms} ms`,
      )
    }, 60_000)
  }
})
