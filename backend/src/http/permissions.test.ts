/**
 * Issue 4, item 7: every route of the module × every kind of caller. The route list is read from
 * the Hono app itself, so a new route without a row here fails the test.
 *   no session            → 401 UNAUTHENTICATED (the error envelope)
 *   no permission at all  → 403 FORBIDDEN, whatever the body (a malformed one too: no 400 leaks)
 *   templates.manage only → the template routes only
 *   operator (import)     → everything but changing the template
 *   admin (both)          → everything
 * "Allowed" means the route ran: not 401/403, never 500, and an error answer is the envelope.
 * A refused call changes nothing: no import, no file, no template, no preference.
 */
import { readdirSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ErrorEnvelope, PERMISSIONS, type BufferedCustomer, type ImportDetails, type ListEnvelope } from '@cm/contracts'
import type { Caller } from '../ports.ts'
import { address, customer, xmlDocument } from '../pipeline/xml/xml.fixtures.ts'
import { TEST_USERS } from '../testing/memory-ports.ts'
import { reliabilityCase } from '../testing/reliability.ts'
import { startTestModule } from '../testing/test-module.ts'

type T = Awaited<ReturnType<typeof startTestModule>>

const USERS: Record<string, Caller> = {
  ...TEST_USERS,
  templater: { adminId: 'templater', login: 'templater', permissions: [PERMISSIONS.manageTemplates] },
}
type Who = 'anonymous' | 'viewer' | 'templater' | 'operator' | 'admin'
const CALLERS: Who[] = ['anonymous', 'viewer', 'templater', 'operator', 'admin']

/** which permission a route needs */
type Need = 'import' | 'template-read' | 'template-write'
const ALLOWED: Record<Need, Who[]> = {
  import: ['operator', 'admin'],
  'template-read': ['templater', 'operator', 'admin'],
  'template-write': ['templater', 'admin'],
}

interface Ids {
  buffered: string
  toDelete: string
  toVerify: string
  customers: string[]
}

interface Row {
  route: string
  need: Need
  /** statuses that mean "the route ran as it should" for an allowed caller */
  ok: number[]
  path(ids: Ids): string
  init?(ids: Ids): RequestInit
  /** a malformed request: still 401/403 for callers who may not call */
  bad?(): RequestInit
}

const json = (method: string, body: unknown): RequestInit => ({ method, body: JSON.stringify(body), headers: { 'content-type': 'application/json' } })
const malformed = (method: string): RequestInit => ({ method, body: '{"not json', headers: { 'content-type': 'application/json' } })

const FILE = xmlDocument([
  customer('1', { email: 'anna@example.pl', firstName: 'Anna', lastName: 'Nowak', addresses: [address({ firstName: 'Anna', lastName: 'Nowak' })] }),
  customer('2', { email: 'jan@example.pl', firstName: 'Jan', lastName: 'Kowalski', addresses: [address()] }),
  customer('3', { email: 'ewa@example.pl', firstName: 'Ewa', lastName: 'Lis', addresses: [address()] }),
])
const uploadForm = () => {
  const form = new FormData()
  form.set('file', new Blob([FILE], { type: 'application/xml' }), 'klienci.xml')
  form.set('shopIds', '1')
  return form
}
const TEMPLATE = { subject: 'Witaj w {{shopName}}', body: 'Ustaw hasło: {{setPasswordLink}}' }

const ROWS: Row[] = [
  { route: 'GET /platforms', need: 'import', ok: [200], path: () => '/platforms' },
  {
    route: 'POST /connections/check',
    need: 'import',
    ok: [200],
    path: () => '/connections/check',
    init: () => json('POST', { platform: 'shoper', domain: 'http://127.0.0.1:1', login: 'api', password: 'haslo' }),
    bad: () => malformed('POST'),
  },
  { route: 'GET /shops', need: 'import', ok: [200], path: () => '/shops' },
  { route: 'GET /imports', need: 'import', ok: [200], path: () => '/imports?limit=5' },
  {
    route: 'POST /imports',
    need: 'import',
    // the second allowed caller meets the first one's fetch still running
    ok: [201, 409],
    path: () => '/imports',
    init: () => json('POST', { credentials: { platform: 'shoper', domain: 'http://127.0.0.1:1', login: 'api', password: 'haslo' }, shopIds: ['1'] }),
    bad: () => json('POST', { credentials: 'x' }),
  },
  {
    route: 'POST /imports/upload',
    need: 'import',
    ok: [201],
    path: () => '/imports/upload',
    init: () => ({ method: 'POST', body: uploadForm() }),
    bad: () => ({ method: 'POST', body: 'nie multipart', headers: { 'content-type': 'text/plain' } }),
  },
  { route: 'GET /imports/:id', need: 'import', ok: [200], path: (i) => `/imports/${i.buffered}` },
  { route: 'GET /imports/:id/file', need: 'import', ok: [200], path: (i) => `/imports/${i.buffered}/file` },
  { route: 'GET /imports/:id/events', need: 'import', ok: [200], path: (i) => `/imports/${i.buffered}/events` },
  { route: 'DELETE /imports/:id/source', need: 'import', ok: [200], path: (i) => `/imports/${i.toDelete}/source`, init: () => ({ method: 'DELETE' }) },
  { route: 'POST /imports/:id/verify', need: 'import', ok: [202, 409], path: (i) => `/imports/${i.toVerify}/verify`, init: () => ({ method: 'POST' }) },
  // an uploaded file has no source to resume
  { route: 'POST /imports/:id/resume', need: 'import', ok: [409], path: (i) => `/imports/${i.buffered}/resume`, init: () => ({ method: 'POST' }) },
  { route: 'GET /imports/:id/buffer', need: 'import', ok: [200], path: (i) => `/imports/${i.buffered}/buffer?state=pending,failed&limit=10` },
  {
    route: 'PATCH /imports/:id/buffer/:customerId',
    need: 'import',
    ok: [200],
    path: (i) => `/imports/${i.buffered}/buffer/${i.customers[2]}`,
    init: () => json('PATCH', { firstName: 'Ewelina' }),
    bad: () => json('PATCH', { shoeSize: 42 }),
  },
  {
    route: 'POST /imports/:id/buffer/import',
    need: 'import',
    ok: [200],
    path: (i) => `/imports/${i.buffered}/buffer/import`,
    init: (i) => json('POST', { ids: [i.customers[0]] }),
    bad: () => json('POST', { ids: [] }),
  },
  {
    route: 'POST /imports/:id/buffer/skip',
    need: 'import',
    ok: [200],
    path: (i) => `/imports/${i.buffered}/buffer/skip`,
    init: (i) => json('POST', { ids: [i.customers[1]] }),
    bad: () => malformed('POST'),
  },
  {
    route: 'POST /imports/:id/buffer/restore',
    need: 'import',
    ok: [200],
    path: (i) => `/imports/${i.buffered}/buffer/restore`,
    init: (i) => json('POST', { ids: [i.customers[1]] }),
    bad: () => malformed('POST'),
  },
  { route: 'GET /imports/:id/imported', need: 'import', ok: [200], path: (i) => `/imports/${i.buffered}/imported?notified=false` },
  {
    route: 'POST /imports/:id/imported/notify',
    need: 'import',
    ok: [200],
    path: (i) => `/imports/${i.buffered}/imported/notify`,
    init: (i) => json('POST', { ids: [i.customers[0]] }),
    bad: () => json('POST', { all: false }),
  },
  { route: 'GET /imports/:id/imported/:customerId/preview', need: 'import', ok: [200, 404], path: (i) => `/imports/${i.buffered}/imported/${i.customers[0]}/preview` },
  { route: 'GET /templates/:shopId/customer-imported', need: 'template-read', ok: [200], path: () => '/templates/1/customer-imported' },
  {
    route: 'PUT /templates/:shopId/customer-imported',
    need: 'template-write',
    ok: [200],
    path: () => '/templates/1/customer-imported',
    init: () => json('PUT', TEMPLATE),
    bad: () => json('PUT', { subject: '' }),
  },
  { route: 'GET /preferences', need: 'import', ok: [200], path: () => '/preferences' },
  {
    route: 'PUT /preferences',
    need: 'import',
    ok: [200],
    path: () => '/preferences',
    init: () => json('PUT', { confirmBeforeImport: false }),
    bad: () => json('PUT', { confirmBeforeImport: 'nie' }),
  },
]

let t: T
let ids: Ids

async function call(who: Who, path: string, init: RequestInit = {}): Promise<{ status: number; text: string }> {
  const headers = new Headers(init.headers)
  if (who !== 'anonymous') headers.set('x-test-user', who)
  const res = await t.module.app.request(path, { ...init, headers })
  // the event stream never ends by itself: its status is all this test needs
  if (res.headers.get('content-type')?.startsWith('text/event-stream')) {
    await res.body?.cancel()
    return { status: res.status, text: '' }
  }
  return { status: res.status, text: await res.text() }
}

beforeAll(async () => {
  t = await startTestModule({ auth: { identify: async (req) => USERS[req.headers.get('x-test-user') ?? ''] ?? null } })
  const upload = async () => {
    const res = await t.module.app.request('/imports/upload', { method: 'POST', body: uploadForm(), headers: { 'x-test-user': 'admin' } })
    expect(res.status).toBe(201)
    return ((await res.json()) as ImportDetails).id
  }
  const buffered = await upload()
  await t.json('admin', `/imports/${buffered}/verify`, { method: 'POST' })
  await t.waitFor(() => t.json<ImportDetails>('admin', `/imports/${buffered}`).then((r) => r.body.status), (s) => s === 'buffered')
  const list = await t.json<ListEnvelope<BufferedCustomer>>('admin', `/imports/${buffered}/buffer`)
  ids = { buffered, toDelete: await upload(), toVerify: await upload(), customers: list.body.items.map((c) => c.id) }
  expect(ids.customers).toHaveLength(3)
})
afterAll(async () => t?.close())

const routeKey = (r: { method: string; path: string }) => `${r.method} ${r.path}`

describe('the permission matrix', () => {
  it('has a row for every route the module serves, and no row for a route it does not', () => {
    const served = new Set(t.module.app.routes.filter((r) => r.method !== 'ALL').map(routeKey))
    expect(new Set(ROWS.map((r) => r.route))).toEqual(served)
  })

  /** denied callers first: their calls must leave no trace for the allowed ones to find */
  const order: Who[] = ['anonymous', 'viewer', 'templater', 'operator', 'admin']
  const cases = order.flatMap((who) => ROWS.map((row) => [who, row.route, row] as const))
  let denied = 0
  let allowed = 0

  it('refused calls leave no trace', async () => {
    const rc = reliabilityCase('permissions', 'refused calls change nothing')
    /** every call made here is tallied, and counted refused only when it was */
    const refused = async (who: Who, path: string, init: RequestInit) => {
      const r = await call(who, path, init)
      rc.tried(1)
      if (r.status === 401 || r.status === 403) rc.rejected(1)
    }
    const before = {
      imports: (await t.json<ListEnvelope<unknown>>('admin', '/imports')).body.total,
      files: readdirSync(t.ports.storage.dir).length,
    }
    for (const who of ['anonymous', 'viewer'] as const) {
      for (const row of ROWS) {
        const ids2 = ids
        for (const init of [row.init?.(ids2), row.bad?.()].filter((x) => x !== undefined)) await refused(who, row.path(ids2), init)
      }
    }
    await refused('templater', '/imports', ROWS.find((r) => r.route === 'POST /imports')!.init!(ids))
    await refused('operator', '/templates/1/customer-imported', json('PUT', { subject: 'Zmienione przez operatora', body: '{{setPasswordLink}}' }))
    expect((await t.json<ListEnvelope<unknown>>('admin', '/imports')).body.total).toBe(before.imports)
    expect(readdirSync(t.ports.storage.dir).length).toBe(before.files)
    expect((await t.json<{ subject: string }>('admin', '/templates/1/customer-imported')).body.subject).not.toContain('operatora')
    expect((await t.json('viewer', '/preferences')).status).toBe(403)
    const d = await t.json<ImportDetails>('admin', `/imports/${ids.toDelete}`)
    expect(d.body.status).toBe('awaiting_verification')
  })

  it.each(cases)('%s → %s', async (who, route, row) => {
    const rc = reliabilityCase('permissions', `${who} → ${route}`)
    const may = ALLOWED[row.need].includes(who)
    const variants = [row.init?.(ids) ?? {}, ...(may || !row.bad ? [] : [row.bad()])]
    for (const init of variants) {
      const r = await call(who, row.path(ids), init)
      rc.tried(1)
      if (r.status === 401 || r.status === 403) rc.rejected(1)
      if (who === 'anonymous') {
        expect(r.status, r.text).toBe(401)
        expect(ErrorEnvelope.parse(JSON.parse(r.text)).error.code).toBe('UNAUTHENTICATED')
      } else if (!may) {
        expect(r.status, r.text).toBe(403)
        expect(ErrorEnvelope.parse(JSON.parse(r.text)).error.code).toBe('FORBIDDEN')
      } else {
        expect(row.ok, `${who} ${row.route}: ${r.status} ${r.text.slice(0, 300)}`).toContain(r.status)
        if (r.status >= 400) ErrorEnvelope.parse(JSON.parse(r.text))
      }
      if (may) allowed++
      else denied++
    }
  })

  // each cell above is its own reliability case, tallying the calls it made
  it('every cell of the matrix made and checked its calls', () => {
    expect(allowed + denied).toBeGreaterThanOrEqual(CALLERS.length * ROWS.length)
  })

  it('an unknown path is 401 without a session and a 404 envelope with one', async () => {
    const rc = reliabilityCase('permissions', 'unknown path or method: 401 / 404 envelope')
    const tally = <R extends { status: number }>(r: R) => {
      rc.tried(1)
      if (r.status >= 400) rc.rejected(1)
      return r
    }
    expect(tally(await call('anonymous', '/nie-ma-takiej-trasy')).status).toBe(401)
    const r = tally(await call('operator', '/nie-ma-takiej-trasy'))
    expect(r.status).toBe(404)
    expect(ErrorEnvelope.parse(JSON.parse(r.text)).error.code).toBe('NOT_FOUND')
    const wrongMethod = tally(await call('operator', '/platforms', { method: 'DELETE' }))
    expect(wrongMethod.status).toBe(404)
    ErrorEnvelope.parse(JSON.parse(wrongMethod.text))
  })
})
