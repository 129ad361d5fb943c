/**
 * Child-process entry: the bench's source shop, the connector's own mock with N demo customers,
 * over loopback HTTP, in a process of its own so that generating and serving a big base does not
 * weigh on the product's (or the bench's) memory and CPU figures. Every platform's mock: Shoper
 * gets a bucket that never fills and Shopify a cost bucket that never drains (no throttling);
 * WooCommerce, PrestaShop and Magento 2 have no limiter of their own.
 *
 * It records every request the product sends (method, path + query, headers, body) so that the
 * bare HTTP loop can replay exactly the same pages, with the time the mock spent on each answer
 * (a page costs its own size: the mocks keep their id order between requests); GET /__bench/log
 * hands them over as JSON lines. Requests after that first hand-over are the replay: WooCommerce
 * and Magento take each OAuth nonce once, so a second mock on the same data answers them (for
 * WooCommerce on the clock of each request's own timestamp, as when it was first sent).
 * Prints one line `{"ready":true,…}` on stdout once it listens; exits on SIGTERM.
 *
 *   BENCH_SOURCE='{"platform":"shoper","count":1000}' node --import tsx scripts/bench/source-shop.ts
 */
import { performance } from 'node:perf_hooks'
import { generateMagentoDemoData } from '../../backend/src/connectors/magento2/magento2.demo-data.ts'
import { createMagentoMock, type MagentoMockIntegration } from '../../backend/src/connectors/magento2/magento2.mock-server.ts'
import { generatePrestaShopDemoData } from '../../backend/src/connectors/prestashop/prestashop.demo-data.ts'
import { createPrestaShopMock, mockHandlers } from '../../backend/src/connectors/prestashop/prestashop.mock-server.ts'
import { generateShoperDemoData } from '../../backend/src/connectors/shoper/shoper.demo-data.ts'
import { createShoperMock } from '../../backend/src/connectors/shoper/shoper.mock-server.ts'
import { generateShopifyDemoData } from '../../backend/src/connectors/shopify/shopify.demo-data.ts'
import { createShopifyMock } from '../../backend/src/connectors/shopify/shopify.mock-server.ts'
import { generateWooCommerceDemoData } from '../../backend/src/connectors/woocommerce/woocommerce.demo-data.ts'
import { createWooCommerceMock, type WooMockKey } from '../../backend/src/connectors/woocommerce/woocommerce.mock-server.ts'
import { serveMock } from '../../backend/src/connectors/mock-kit/serve-mock.ts'
import { DEMO_MAGENTO, DEMO_PRESTASHOP, DEMO_SHOPIFY, DEMO_WOOCOMMERCE } from '../../e2e/mock-host/demo-credentials.ts'
import { DEMO_MAGENTO_SEED } from '../../e2e/mock-host/demo-magento.ts'
import { DEMO_SHOPER_LOGIN, DEMO_SHOPER_PASSWORD, DEMO_SHOPER_SEED } from '../../e2e/mock-host/demo-shoper.ts'
import { DEMO_PRESTASHOP_SEED } from '../../e2e/mock-host/demo-prestashop.ts'
import { DEMO_SHOPIFY_SEED } from '../../e2e/mock-host/demo-shopify.ts'
import { DEMO_WOOCOMMERCE_SEED } from '../../e2e/mock-host/demo-woocommerce.ts'

export interface RecordedRequest {
  method: string
  /** path and query */
  path: string
  headers: Record<string, string>
  body?: string
  /** what the shop answered the product */
  status?: number
  /** ms the mock spent making the answer (its own cost: a page's size, not the base's) */
  ms?: number
}

export interface SourceReady {
  ready: true
  url: string
  credentials: Record<string, string> & { platform: string }
  /** source records generated: customers (users) with their addresses, and subscriber rows where the platform keeps them apart */
  records: number
  generateSeconds: number
}

const SKIP_HEADERS = new Set(['host', 'connection', 'content-length', 'keep-alive', 'transfer-encoding'])
const NO_LIMIT = { limit: 1e12, leakPerSecond: 1e12 }

type Handler = (req: Request) => Promise<Response>

interface Source {
  handle: Handler
  /** answers the replay when the first mock would refuse it (a nonce it has seen) */
  replay?: Handler
  credentials: SourceReady['credentials']
  records: number
}

/** the oauth_timestamp a request was signed with (query or Authorization header), in seconds */
function oauthTimestamp(req: Request): number | null {
  const q = new URL(req.url).searchParams.get('oauth_timestamp')
  const h = /oauth_timestamp="?(\d+)/.exec(req.headers.get('authorization') ?? '')?.[1]
  const ts = Number(q ?? h)
  return Number.isFinite(ts) && ts > 0 ? ts : null
}

function sourceFor(platform: string, count: number): Source {
  if (platform === 'shoper') {
    // the demo shop's seed and strict list parameters (refused with 400, as the demo shop does)
    const data = generateShoperDemoData({ count, seed: DEMO_SHOPER_SEED })
    const mock = createShoperMock({ login: DEMO_SHOPER_LOGIN, password: DEMO_SHOPER_PASSWORD, data, bucket: NO_LIMIT })
    return {
      handle: (req) => mock.fetch(req),
      credentials: { platform: 'shoper', domain: '', login: DEMO_SHOPER_LOGIN, password: DEMO_SHOPER_PASSWORD },
      records: data.users.length + data.addresses.length + data.subscribers.length,
    }
  }
  if (platform === 'prestashop') {
    const data = generatePrestaShopDemoData({ count, seed: DEMO_PRESTASHOP_SEED })
    const view = ['GET', 'HEAD'] as const
    const resources = Object.fromEntries(['customers', 'addresses', 'countries', 'languages', 'groups'].map((r) => [r, [...view]]))
    const mock = createPrestaShopMock({ data, keys: [{ key: DEMO_PRESTASHOP.apiKey, resources }] })
    const h = mockHandlers.get(mock)!
    return { handle: (req) => h(req), credentials: { platform: 'prestashop', domain: '', apiKey: DEMO_PRESTASHOP.apiKey }, records: data.customers.length + data.addresses.length }
  }
  if (platform === 'woocommerce') {
    const customers = generateWooCommerceDemoData({ count, seed: DEMO_WOOCOMMERCE_SEED })
    const keys: WooMockKey[] = [{ consumerKey: DEMO_WOOCOMMERCE.consumerKey, consumerSecret: DEMO_WOOCOMMERCE.consumerSecret, permissions: 'read' }]
    // plain HTTP as the demo shop: is_ssl() false, so every request is OAuth 1.0a-signed
    const mock = createWooCommerceMock({ customers, keys, scheme: 'http' })
    let signedAt = 0
    const again = createWooCommerceMock({ customers, keys, scheme: 'http', clock: () => signedAt })
    return {
      handle: (req) => mock.fetch(req),
      replay: (req) => {
        signedAt = oauthTimestamp(req) ?? Math.floor(Date.now() / 1000)
        return again.fetch(req)
      },
      credentials: { platform: 'woocommerce', domain: '', consumerKey: DEMO_WOOCOMMERCE.consumerKey, consumerSecret: DEMO_WOOCOMMERCE.consumerSecret },
      records: customers.length,
    }
  }
  if (platform === 'shopify') {
    const customers = generateShopifyDemoData({ count, seed: DEMO_SHOPIFY_SEED })
    const mock = createShopifyMock({
      customers,
      shopName: 'Sklep Demo (Shopify)',
      legacyTokens: [{ token: DEMO_SHOPIFY.accessToken, scopes: ['read_customers'] }],
      bucket: { maximumAvailable: 1e12, restoreRate: 1e12 },
    })
    return {
      handle: (req) => mock.fetch(req),
      credentials: { platform: 'shopify', domain: '', accessToken: DEMO_SHOPIFY.accessToken },
      records: customers.reduce((n, c) => n + 1 + c.addresses.length, 0),
    }
  }
  if (platform === 'magento2') {
    const data = generateMagentoDemoData({ count, seed: DEMO_MAGENTO_SEED })
    const integration: MagentoMockIntegration = {
      id: 1,
      name: 'Migracja klientów',
      consumerKey: DEMO_MAGENTO.consumerKey,
      consumerSecret: DEMO_MAGENTO.consumerSecret,
      accessToken: DEMO_MAGENTO.accessToken,
      accessTokenSecret: DEMO_MAGENTO.accessTokenSecret,
      resources: 'all',
    }
    const mock = createMagentoMock({ data, integrations: [integration] })
    const again = createMagentoMock({ data, integrations: [integration] })
    const { consumerKey, consumerSecret, accessToken, accessTokenSecret } = integration
    return {
      handle: (req) => mock.fetch(req),
      replay: (req) => again.fetch(req),
      credentials: { platform: 'magento2', domain: '', consumerKey, consumerSecret, accessToken, accessTokenSecret },
      records: data.customers.reduce((n, c) => n + 1 + c.addresses.length, 0) + data.subscribers.length,
    }
  }
  throw new Error(`unknown platform ${platform}`)
}

async function main(): Promise<void> {
  const cfg = JSON.parse(process.env.BENCH_SOURCE ?? '{}') as { platform: string; count: number }
  const t0 = performance.now()
  const source = sourceFor(cfg.platform, cfg.count)
  const { credentials, records } = source
  const generateSeconds = (performance.now() - t0) / 1000

  // kept as JSON lines, not objects: compact for the ~100k requests of a million customers
  const log: string[] = []
  /** the log was handed over once: what comes now is the bench's replay */
  let replaying = false
  const recording = async (req: Request): Promise<Response> => {
    const url = new URL(req.url)
    if (url.pathname === '/__bench/log') {
      replaying = true
      return new Response(log.join('\n'), { headers: { 'content-type': 'application/x-ndjson' } })
    }
    const handle = (replaying && source.replay) || source.handle
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
