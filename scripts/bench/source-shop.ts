/**
 * Child-process entry: the bench's source shop, the connector's own mock with N demo customers,
 * over loopback HTTP, in a process of its own so that generating and serving a big base does not
 * weigh on the product's (or the bench's) memory and CPU figures. Shoper gets a bucket that never
 * fills (no throttling); PrestaShop has no limiter.
 *
 * It records every request the product sends (method, path + query, headers, body) so that the
 * bare HTTP loop can replay exactly the same pages, with the time the mock spent on each answer
 * (its lists filter and sort the whole base per page); GET /__bench/log hands them over as JSON lines.
 * Prints one line `{"ready":true,…}` on stdout once it listens; exits on SIGTERM.
 *
 *   BENCH_SOURCE='{"platform":"shoper","count":1000}' node --import tsx scripts/bench/source-shop.ts
 */
import { performance } from 'node:perf_hooks'
import { generatePrestaShopDemoData } from '../../backend/src/connectors/prestashop/prestashop.demo-data.ts'
import { createPrestaShopMock, mockHandlers } from '../../backend/src/connectors/prestashop/prestashop.mock-server.ts'
import { generateShoperDemoData } from '../../backend/src/connectors/shoper/shoper.demo-data.ts'
import { createShoperMock } from '../../backend/src/connectors/shoper/shoper.mock-server.ts'
import { serveMock } from '../../backend/src/connectors/mock-kit/serve-mock.ts'
import { DEMO_PRESTASHOP } from '../../e2e/mock-host/demo-credentials.ts'
import { DEMO_SHOPER_LOGIN, DEMO_SHOPER_PASSWORD, DEMO_SHOPER_SEED } from '../../e2e/mock-host/demo-shoper.ts'
import { DEMO_PRESTASHOP_SEED } from '../../e2e/mock-host/demo-prestashop.ts'

export interface RecordedRequest {
  method: string
  /** path and query */
  path: string
  headers: Record<string, string>
  body?: string
  /** what the shop answered the product */
  status?: number
  /** ms the mock spent making the answer (its own cost, which grows with the base on every page) */
  ms?: number
}

export interface SourceReady {
  ready: true
  url: string
  credentials: Record<string, string> & { platform: string }
  /** source records generated (users + addresses + … for Shoper; customers + addresses for PrestaShop) */
  records: number
  generateSeconds: number
}

const SKIP_HEADERS = new Set(['host', 'connection', 'content-length', 'keep-alive', 'transfer-encoding'])
const NO_LIMIT = { limit: 1e12, leakPerSecond: 1e12 }

async function main(): Promise<void> {
  const cfg = JSON.parse(process.env.BENCH_SOURCE ?? '{}') as { platform: string; count: number }
  const t0 = performance.now()
  let handle: (req: Request) => Promise<Response>
  let credentials: SourceReady['credentials']
  let records: number
  if (cfg.platform === 'shoper') {
    // the demo shop's seed and strict list parameters (refused with 400, as the demo shop does)
    const data = generateShoperDemoData({ count: cfg.count, seed: DEMO_SHOPER_SEED })
    records = data.users.length + data.addresses.length + data.subscribers.length
    const mock = createShoperMock({ login: DEMO_SHOPER_LOGIN, password: DEMO_SHOPER_PASSWORD, data, bucket: NO_LIMIT })
    handle = (req) => mock.fetch(req)
    credentials = { platform: 'shoper', domain: '', login: DEMO_SHOPER_LOGIN, password: DEMO_SHOPER_PASSWORD }
  } else if (cfg.platform === 'prestashop') {
    const data = generatePrestaShopDemoData({ count: cfg.count, seed: DEMO_PRESTASHOP_SEED })
    records = data.customers.length + data.addresses.length
    const view = ['GET', 'HEAD'] as const
    const resources = Object.fromEntries(['customers', 'addresses', 'countries', 'languages', 'groups'].map((r) => [r, [...view]]))
    const mock = createPrestaShopMock({ data, keys: [{ key: DEMO_PRESTASHOP.apiKey, resources }] })
    const h = mockHandlers.get(mock)!
    handle = (req) => h(req)
    credentials = { platform: 'prestashop', domain: '', apiKey: DEMO_PRESTASHOP.apiKey }
  } else {
    throw new Error(`unknown platform ${cfg.platform}`)
  }
  const generateSeconds = (performance.now() - t0) / 1000

  // kept as JSON lines, not objects: compact for the ~100k requests of a million customers
  const log: string[] = []
  const recording = async (req: Request): Promise<Response> => {
    const url = new URL(req.url)
    if (url.pathname === '/__bench/log') return new Response(log.join('\n'), { headers: { 'content-type': 'application/x-ndjson' } })
    const headers: Record<string, string> = {}
    req.headers.forEach((v, k) => {
      if (!SKIP_HEADERS.has(k)) headers[k] = v
    })
    const rec: RecordedRequest = { method: req.method, path: url.pathname + url.search, headers }
    if (req.method !== 'GET' && req.method !== 'HEAD') rec.body = await req.clone().text()
    const t = performance.now()
    const res = await handle(req)
    rec.ms = Math.round((performance.now() - t) * 1000) / 1000
    rec.status = res.status
    log.push(JSON.stringify(rec))
    return res
  }
  const running = await serveMock(null, recording, { port: 0, hostname: '127.0.0.1' })
  credentials.domain = running.url
  const ready: SourceReady = { ready: true, url: running.url, credentials, records, generateSeconds }
  process.stdout.write(JSON.stringify(ready) + '\n')
  const stop = () => void running.close().finally(() => process.exit(0))
  process.on('SIGTERM', stop)
  process.on('SIGINT', stop)
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : String(err))
  process.exit(1)
})
