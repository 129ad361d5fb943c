/**
 * Issue 4, item 5 at the routes: with the module's own default settings (production), every shop
 * address that is not a public https one is refused by Sprawdź połączenie (200 ok:false
 * SOURCE_ADDRESS_NOT_ALLOWED) and by Zapisz i zleć import (422), and no connection is attempted:
 * a local server (the address most of them map to) counts its connections, and every outgoing
 * socket of this process is counted too. Then: host names resolving to private addresses, a DNS
 * answer that changes between the check and the connection, and redirects to another host.
 */
import { promises as dnsPromises } from 'node:dns'
import { createServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http'
import net from 'node:net'
import type { AddressInfo } from 'node:net'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { type ConnectionCheckResponse, ErrorEnvelope, type ImportDetails, type ListEnvelope, type ImportSummary } from '@cm/contracts'
import { DEFAULT_SETTINGS } from '../settings.ts'
import { reliabilityCase, type ReliabilityCase } from '../testing/reliability.ts'
import { startTestModule } from '../testing/test-module.ts'

type T = Awaited<ReturnType<typeof startTestModule>>

// ---- every outgoing TCP connection of this process --------------------------------------------
const connects: string[] = []
/** what the sockets' own lookups handed them (null: refused, so no TCP connection was opened) */
const socketLookups: Array<{ refused: boolean; address: string | null }> = []
const originalConnect = net.Socket.prototype.connect
function describeTarget(args: unknown[]): string {
  const a = args[0]
  if (Array.isArray(a)) return describeTarget(a)
  if (a && typeof a === 'object') {
    const o = a as { host?: string; port?: number; path?: string }
    return o.path ?? `${o.host ?? '?'}:${o.port ?? '?'}`
  }
  return `${String(args[1] ?? '?')}:${String(a)}`
}

// ---- a local server on loopback (both families when the machine has IPv6) -----------------------
let trap: net.Server
let trapPort = 0
let trapConnections = 0

async function listenTrap(): Promise<void> {
  const make = () =>
    net.createServer((socket) => {
      trapConnections++
      socket.destroy()
    })
  trap = make()
  try {
    await new Promise<void>((resolve, reject) => trap.once('error', reject).listen(0, '::', () => resolve()))
  } catch {
    trap = make()
    await new Promise<void>((resolve) => trap.listen(0, '127.0.0.1', () => resolve()))
  }
  trapPort = (trap.address() as AddressInfo).port
}

// ---- DNS answers for names of this test; everything else goes to the system resolver ----------
const realLookup = dnsPromises.lookup.bind(dnsPromises)
const lookups: string[] = []
let rebindCalls = 0
const FAKE_DNS: Record<string, () => Array<{ address: string; family: number }>> = {
  'private.ssrf.test': () => [{ address: '10.0.0.5', family: 4 }],
  'metadata.ssrf.test': () => [{ address: '169.254.169.254', family: 4 }],
  'mixed.ssrf.test': () => [
    { address: '93.184.216.34', family: 4 },
    { address: '192.168.0.10', family: 4 },
  ],
  'v6-loopback.ssrf.test': () => [{ address: '::1', family: 6 }],
  'v6-mapped.ssrf.test': () => [{ address: '::ffff:127.0.0.1', family: 6 }],
  'ula.ssrf.test': () => [{ address: 'fd00::5', family: 6 }],
  // public for the pre-checks, loopback when the socket is about to connect
  'rebind.ssrf.test': () => [{ address: rebindCalls++ < 2 ? '93.184.216.34' : '127.0.0.1', family: 4 }],
}

let t: T
const logs: string[] = []

beforeAll(async () => {
  await listenTrap()
  net.Socket.prototype.connect = function (this: net.Socket, ...args: unknown[]) {
    connects.push(describeTarget(args))
    // a host name is resolved inside connect(), through the guard's lookup hook
    this.once('lookup', (err: Error | null, address: string) => socketLookups.push({ refused: err != null, address: err ? null : address }))
    return (originalConnect as (...a: unknown[]) => net.Socket).apply(this, args)
  } as typeof net.Socket.prototype.connect
  vi.spyOn(dnsPromises, 'lookup').mockImplementation((async (host: string, opts: unknown) => {
    lookups.push(host)
    const fake = FAKE_DNS[host]
    if (fake) return fake()
    return realLookup(host, opts as never)
  }) as unknown as typeof dnsPromises.lookup)
  // the module's own defaults: only the log is the test's
  t = await startTestModule({ settings: { log: (level, msg, data) => logs.push(JSON.stringify({ level, msg, data })) } })
})

afterAll(async () => {
  await t?.close()
  net.Socket.prototype.connect = originalConnect
  vi.restoreAllMocks()
  await new Promise((r) => trap.close(r))
})

const creds = (domain: string) => ({ platform: 'shoper', domain, login: 'api-migracja', password: 'Haslo-SSRF-123' })
const post = (body: unknown): RequestInit => ({ method: 'POST', body: JSON.stringify(body) })
/** times the test's password appears in an answer */
const leaks = (body: unknown) => JSON.stringify(body).split('Haslo-SSRF-123').length - 1
/** a check answered ok:false with `code` is a refusal */
function checked(rc: ReliabilityCase, c: { body: ConnectionCheckResponse }, code: string): void {
  rc.tried(1)
  if (!c.body.ok && c.body.error?.code === code) rc.rejected(1)
}

/** [what, domain as typed]; PORT is the local trap's port */
const REFUSED: Array<[string, string]> = [
  ['plain http', 'http://sklep.example.pl'],
  ['plain http to loopback', 'http://127.0.0.1:PORT'],
  ['loopback', 'https://127.0.0.1:PORT'],
  ['localhost (system resolver)', 'https://localhost:PORT'],
  ['LOCALHOST in capitals', 'https://LOCALHOST:PORT'],
  ['decimal 127.0.0.1', 'https://2130706433:PORT'],
  ['hex 127.0.0.1', 'https://0x7f000001:PORT'],
  ['octal 127.0.0.1', 'https://0177.0.0.1:PORT'],
  ['short 127.1', 'https://127.1:PORT'],
  ['mixed hex 0x7f.1', 'https://0x7f.1:PORT'],
  ['trailing dot 127.0.0.1.', 'https://127.0.0.1.:PORT'],
  ['percent-encoded 127.0.0.1', 'https://%31%32%37.0.0.1:PORT'],
  ['full-width digits 127.0.0.1', 'https://１２７．０．０．１:PORT'],
  ['no scheme, loopback', '127.0.0.1:PORT'],
  ['IPv6 loopback', 'https://[::1]:PORT'],
  ['IPv6 unspecified', 'https://[::]:PORT'],
  ['IPv4-mapped IPv6, dotted', 'https://[::ffff:127.0.0.1]:PORT'],
  ['IPv4-mapped IPv6, hex', 'https://[::ffff:7f00:1]:PORT'],
  ['IPv4-mapped IPv6, long form', 'https://[0:0:0:0:0:ffff:127.0.0.1]:PORT'],
  ['IPv4-mapped metadata address', 'https://[::ffff:a9fe:a9fe]'],
  ['NAT64 of loopback', 'https://[64:ff9b::7f00:1]'],
  ['6to4 of loopback', 'https://[2002:7f00:1::]'],
  ['10/8', 'https://10.0.0.1'],
  ['172.16/12', 'https://172.16.0.1'],
  ['192.168/16', 'https://192.168.1.1'],
  ['100.64/10 (CGNAT)', 'https://100.64.0.1'],
  ['cloud metadata', 'https://169.254.169.254'],
  ['IPv6 link-local', 'https://[fe80::1]'],
  ['IPv6 unique-local', 'https://[fc00::1]'],
  ['unspecified 0.0.0.0', 'https://0.0.0.0:PORT'],
  ['0 (= 0.0.0.0)', 'https://0:PORT'],
  ['credentials in the URL', 'https://user:pw@sklep.pl'],
  ['credentials that look like a host', 'https://127.0.0.1:443@sklep.pl'],
  ['name resolving to 10/8', 'https://private.ssrf.test'],
  ['name resolving to the metadata address', 'https://metadata.ssrf.test'],
  ['name resolving to a public and a private address', 'https://mixed.ssrf.test'],
  ['name resolving to ::1', 'https://v6-loopback.ssrf.test:PORT'],
  ['name resolving to ::ffff:127.0.0.1', 'https://v6-mapped.ssrf.test:PORT'],
  ['name resolving to a unique-local address', 'https://ula.ssrf.test'],
]

describe('the module default refuses every address that is not a public https one', () => {
  it('the default settings are the production ones', () => {
    expect(DEFAULT_SETTINGS).toMatchObject({ allowPrivateSources: false, allowHttpSources: false })
  })

  it.each(REFUSED)('%s (%s): check ok:false SOURCE_ADDRESS_NOT_ALLOWED, import 422, no connection', async (what, typed) => {
    const rc = reliabilityCase('ssrf', `refused at the routes: ${what}`)
    const domain = typed.replace('PORT', String(trapPort))
    const before = { connects: connects.length, trap: trapConnections }
    const c = await t.json<ConnectionCheckResponse>('operator', '/connections/check', post(creds(domain)))
    checked(rc, c, 'SOURCE_ADDRESS_NOT_ALLOWED')
    expect(c.status, JSON.stringify(c.body)).toBe(200)
    expect(c.body).toMatchObject({ ok: false, error: { code: 'SOURCE_ADDRESS_NOT_ALLOWED', message: expect.stringMatching(/https/) } })
    const r = await t.json('operator', '/imports', post({ credentials: creds(domain), shopIds: ['1'] }))
    rc.tried(1)
    if (r.status === 422) rc.rejected(1)
    rc.measure({ credentialLeaks: leaks(c.body) + leaks(r.body) })
    expect(r.status, JSON.stringify(r.body)).toBe(422)
    expect(ErrorEnvelope.parse(r.body).error.code).toBe('SOURCE_ADDRESS_NOT_ALLOWED')
    expect(JSON.stringify(r.body)).not.toContain('Haslo-SSRF-123')
    expect(connects.slice(before.connects)).toEqual([])
    expect(trapConnections).toBe(before.trap)
  })

  it('no import was created and no fetch started for any of them', async () => {
    const list = await t.json<ListEnvelope<ImportSummary>>('operator', '/imports')
    expect(list.body.total).toBe(0)
    expect(connects).toEqual([])
    expect(trapConnections).toBe(0)
    // only names of this test and localhost were looked up: literal addresses never reach DNS
    expect(new Set(lookups)).toEqual(new Set(['localhost', ...Object.keys(FAKE_DNS).filter((n) => n !== 'rebind.ssrf.test')]))
  })

  it('a DNS answer that turns private between the check and the connection: ok:false SOURCE_ADDRESS_NOT_ALLOWED, no connection', async () => {
    const rc = reliabilityCase('ssrf', 'DNS rebinding caught at connect time (route level)')
    rebindCalls = 0
    const c = await t.json<ConnectionCheckResponse>('operator', '/connections/check', post(creds(`https://rebind.ssrf.test:${trapPort}`)))
    checked(rc, c, 'SOURCE_ADDRESS_NOT_ALLOWED')
    rc.measure({ credentialLeaks: leaks(c.body) })
    expect(c.status).toBe(200)
    expect(c.body).toMatchObject({ ok: false, error: { code: 'SOURCE_ADDRESS_NOT_ALLOWED' } })
    // the route's check and the request's own check saw the public answer; the socket's lookup did not
    expect(rebindCalls).toBeGreaterThanOrEqual(3)
    // the socket was created for the name, but its lookup refused the loopback answer: no TCP connection
    expect(connects).toEqual([`rebind.ssrf.test:${trapPort}`])
    expect(socketLookups).toEqual([{ refused: true, address: null }])
    expect(trapConnections).toBe(0)
    connects.length = 0
    socketLookups.length = 0
  })

  it('control: the same counters do see a connection that is allowed', async () => {
    const dev = await startTestModule() // the test ports allow private http sources
    try {
      const c = await dev.json<ConnectionCheckResponse>('operator', '/connections/check', post(creds(`http://127.0.0.1:${trapPort}`)))
      expect(c.status).toBe(200)
      expect(c.body.ok).toBe(false)
      expect(connects.length).toBeGreaterThan(0)
      expect(trapConnections).toBeGreaterThan(0)
    } finally {
      await dev.close()
      connects.length = 0
      trapConnections = 0
    }
  })
})

// ---- redirects -----------------------------------------------------------------------------------
describe('a shop that answers with a redirect to another host', () => {
  let shop: HttpServer
  let other: HttpServer
  let shopUrl = ''
  let otherUrl = ''
  let otherHits: Array<{ url: string; authorization: string | undefined }> = []
  /** credentials the other host received: a followed redirect would hand them over */
  const handedOver = () => otherHits.filter((h) => h.authorization).length
  /** what the shop answers on each path */
  let plan: (req: IncomingMessage, res: ServerResponse) => void = () => {}
  let dev: T

  const listen = (s: HttpServer) => new Promise<string>((resolve) => s.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(s.address() as AddressInfo).port}`)))

  beforeAll(async () => {
    other = createServer((req, res) => {
      otherHits.push({ url: req.url ?? '', authorization: req.headers.authorization })
      // a perfect Shoper answer: following the redirect would make the check succeed
      res.setHeader('content-type', 'application/json')
      if (req.url?.endsWith('/auth')) res.end(JSON.stringify({ access_token: 'tok', expires_in: 3600, token_type: 'bearer' }))
      else res.end(JSON.stringify({ count: 1, pages: 1, page: 1, list: [] }))
    })
    otherUrl = await listen(other)
    shop = createServer((req, res) => plan(req, res))
    shopUrl = await listen(shop)
    // development settings (loopback and http allowed) so the shop itself may be reached
    dev = await startTestModule()
  })
  afterEach(() => {
    otherHits = []
  })
  afterAll(async () => {
    await dev?.close()
    for (const s of [shop, other]) {
      s.closeAllConnections()
      await new Promise((r) => s.close(r))
    }
  })

  it.each([301, 302, 303, 307, 308])('/webapi/rest/auth answers %i to another host: not followed, check ok:false SOURCE_NOT_A_SHOP', async (status) => {
    const rc = reliabilityCase('ssrf', `redirect ${status} on auth not followed`)
    plan = (_req, res) => res.writeHead(status, { location: `${otherUrl}/webapi/rest/auth` }).end()
    const c = await dev.json<ConnectionCheckResponse>('operator', '/connections/check', post(creds(shopUrl)))
    checked(rc, c, 'SOURCE_NOT_A_SHOP')
    rc.measure({ credentialLeaks: handedOver() })
    expect(c.status).toBe(200)
    expect(c.body).toMatchObject({ ok: false, error: { code: 'SOURCE_NOT_A_SHOP' } })
    expect(otherHits).toEqual([])
  })

  it('a redirect on a resource call (after a good login): not followed, the bearer token stays home', async () => {
    const rc = reliabilityCase('ssrf', 'redirect on a resource call not followed')
    plan = (req, res) => {
      if (req.url?.endsWith('/auth')) {
        res.setHeader('content-type', 'application/json').end(JSON.stringify({ access_token: 'tok-of-the-shop', expires_in: 3600, token_type: 'bearer' }))
      } else res.writeHead(307, { location: `${otherUrl}${req.url}` }).end()
    }
    const c = await dev.json<ConnectionCheckResponse>('operator', '/connections/check', post(creds(shopUrl)))
    checked(rc, c, 'SOURCE_BAD_RESPONSE')
    rc.measure({ credentialLeaks: handedOver() })
    expect(c.body).toMatchObject({ ok: false, error: { code: 'SOURCE_BAD_RESPONSE' } })
    expect(otherHits).toEqual([])
  })

  it('the fetch of an import meets the redirect: fetch_failed with the reason, the other host hears nothing', async () => {
    const rc = reliabilityCase('ssrf', 'redirect during the fetch job not followed')
    plan = (_req, res) => res.writeHead(302, { location: `${otherUrl}/webapi/rest/auth` }).end()
    const created = await dev.json<ImportDetails>('operator', '/imports', post({ credentials: creds(shopUrl), shopIds: ['1'] }))
    expect(created.status).toBe(201)
    const d = await dev.waitFor(
      () => dev.json<ImportDetails>('operator', `/imports/${created.body.id}`).then((r) => r.body),
      (x) => x.status !== 'awaiting_xml',
    )
    rc.tried(1)
    if (d.status === 'fetch_failed') rc.rejected(1)
    rc.measure({ credentialLeaks: handedOver() })
    expect(d.status).toBe('fetch_failed')
    expect(d.generation.lastError?.code).toBe('SOURCE_NOT_A_SHOP')
    expect(otherHits).toEqual([])
    await dev.json('operator', `/imports/${created.body.id}/source`, { method: 'DELETE' })
  })
})
