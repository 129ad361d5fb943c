/** The mock host's settings, read from the environment once at start. */
import path from 'node:path'
import { SHOPER_LIST_PARAM_MODES, type ShoperListParamsMode } from '../../backend/src/connectors/shoper/shoper.mock-surface.ts'

export type DbConfig =
  | { kind: 'sqlite'; /** a file path, or ':memory:' in tests */ path: string }
  | { kind: 'postgresql'; url: string; schema: string }

export interface HostConfig {
  port: number
  host: string
  dataDir: string
  smtpPort: number
  demoShoperPort: number
  demoCustomers: number
  /** the demo shop's leaky bucket (Shoper's default: 10 calls, 2 per second); DEMO_SHOPER_BUCKET=limit:perSecond */
  demoShoperBucket?: { limit: number; leakPerSecond: number } | null
  /** what the demo shop does with undocumented list parameters: refuse with 400 (default, stricter than a shop), ignore or honour */
  demoShoperListParams: ShoperListParamsMode
  /** the demo shop answers POST /webapi/rest/bulk (true) or 404 as a shop without it */
  demoShoperBulk: boolean
  /** each answer of the demo shop takes this long, as a distant shop's would (0: at once) */
  demoShoperDelayMs: number
  db: DbConfig
  allowPrivateSources: boolean
  /** plain-http sources; follows allowPrivateSources unless set (the demo Shoper speaks http) */
  allowHttpSources: boolean
  /** raw `id:base64key,...`; unset = a key generated once into `${dataDir}/secret.key` */
  credentialKeys: string | null
  startDemoShoper: boolean
  /** the demo WooCommerce shop (plain http, so requests are OAuth 1.0a-signed) and its switch; follows START_DEMO_SHOPER unless set */
  demoWooCommercePort: number
  startDemoWooCommerce: boolean
  /** the demo PrestaShop shop and its switch; follows START_DEMO_SHOPER unless set */
  demoPrestaShopPort: number
  startDemoPrestaShop: boolean
  /** the demo Shopify shop (GraphQL Admin API with its cost bucket) and its switch; follows START_DEMO_SHOPER unless set */
  demoShopifyPort: number
  startDemoShopify: boolean
  /** the demo Magento 2 shop (OAuth 1.0a-signed REST) and its switch; follows START_DEMO_SHOPER unless set */
  demoMagentoPort: number
  startDemoMagento: boolean
  /** each answer of the WooCommerce, PrestaShop, Shopify and Magento demo shops takes this long (0: at once) */
  demoShopDelayMs: number
  /** where customers reach the panel (set-password links) */
  publicUrl: string
  /**
   * Test knobs for the crash tests (e2e/flow/crash-stages.test.ts), 0 = off: a slow panel.
   * PANEL_CREATE_DELAY_MS: each customers batch waits this long after its write is committed
   * (the window where the panel has the customers and the module has not recorded them yet).
   * MAIL_DELAY_MS: each mail waits this long after the SMTP server accepted it (the window
   * where the mail went out and the module has not been told yet).
   */
  panelCreateDelayMs?: number
  mailDelayMs?: number
}

type Env = Record<string, string | undefined>

function int(env: Env, name: string, fallback: number): number {
  const raw = env[name]
  if (raw === undefined || raw === '') return fallback
  const n = Number(raw)
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, got "${raw}"`)
  return n
}

function bool(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase()
  if (raw === undefined || raw === '') return fallback
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true
  if (['0', 'false', 'no', 'off'].includes(raw)) return false
  throw new Error(`${name} must be true or false, got "${env[name]}"`)
}

function bucket(env: Env, name: string): { limit: number; leakPerSecond: number } | null {
  const raw = env[name]?.trim()
  if (!raw) return null
  const m = /^(\d+):(\d+(?:\.\d+)?)$/.exec(raw)
  if (!m || Number(m[1]) < 1 || Number(m[2]) <= 0) throw new Error(`${name} must be "limit:perSecond" (e.g. 10:2), got "${raw}"`)
  return { limit: Number(m[1]), leakPerSecond: Number(m[2]) }
}

function listParams(env: Env, name: string): ShoperListParamsMode {
  const raw = env[name]?.trim().toLowerCase() || 'refuse'
  const mode = SHOPER_LIST_PARAM_MODES.find((m) => m === raw)
  if (!mode) throw new Error(`${name} must be one of ${SHOPER_LIST_PARAM_MODES.join(', ')}, got "${env[name]}"`)
  return mode
}

function dbConfig(env: Env, dataDir: string): DbConfig {
  const url = env.DATABASE_URL?.trim()
  if (!url) return { kind: 'sqlite', path: path.join(dataDir, 'panel.sqlite') }
  if (/^postgres(ql)?:\/\//.test(url)) {
    // `?schema=` in the URL wins over DATABASE_SCHEMA; the driver must not see it
    const u = new URL(url)
    const schema = u.searchParams.get('schema') ?? env.DATABASE_SCHEMA ?? 'panel'
    u.searchParams.delete('schema')
    if (!/^[a-z_][a-z0-9_]*$/i.test(schema)) throw new Error(`Invalid PostgreSQL schema name "${schema}"`)
    return { kind: 'postgresql', url: u.toString(), schema }
  }
  if (url.startsWith('sqlite:')) return { kind: 'sqlite', path: url.slice('sqlite:'.length) }
  throw new Error('DATABASE_URL must be postgresql://… (or unset for the SQLite file under DATA_DIR)')
}

export function loadConfig(env: Env = process.env): HostConfig {
  const port = int(env, 'PORT', 3000)
  const host = env.HOST?.trim() || '127.0.0.1'
  const dataDir = path.resolve(env.DATA_DIR?.trim() || './data')
  const allowPrivateSources = bool(env, 'ALLOW_PRIVATE_SOURCES', true)
  // a wildcard bind address is not a place a browser can go
  const linkHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host
  return {
    port,
    host,
    dataDir,
    smtpPort: int(env, 'SMTP_PORT', 2525),
    demoShoperPort: int(env, 'DEMO_SHOPER_PORT', 3100),
    demoCustomers: int(env, 'DEMO_CUSTOMERS', 500),
    demoShoperBucket: bucket(env, 'DEMO_SHOPER_BUCKET'),
    demoShoperListParams: listParams(env, 'DEMO_SHOPER_LIST_PARAMS'),
    demoShoperBulk: bool(env, 'DEMO_SHOPER_BULK', true),
    demoShoperDelayMs: int(env, 'DEMO_SHOPER_DELAY_MS', 0),
    db: dbConfig(env, dataDir),
    allowPrivateSources,
    allowHttpSources: bool(env, 'ALLOW_HTTP_SOURCES', allowPrivateSources),
    credentialKeys: env.CREDENTIAL_KEYS?.trim() || null,
    startDemoShoper: bool(env, 'START_DEMO_SHOPER', true),
    demoWooCommercePort: int(env, 'DEMO_WOOCOMMERCE_PORT', 3101),
    startDemoWooCommerce: bool(env, 'START_DEMO_WOOCOMMERCE', bool(env, 'START_DEMO_SHOPER', true)),
    demoPrestaShopPort: int(env, 'DEMO_PRESTASHOP_PORT', 3102),
    startDemoPrestaShop: bool(env, 'START_DEMO_PRESTASHOP', bool(env, 'START_DEMO_SHOPER', true)),
    demoShopifyPort: int(env, 'DEMO_SHOPIFY_PORT', 3103),
    startDemoShopify: bool(env, 'START_DEMO_SHOPIFY', bool(env, 'START_DEMO_SHOPER', true)),
    demoMagentoPort: int(env, 'DEMO_MAGENTO_PORT', 3104),
    startDemoMagento: bool(env, 'START_DEMO_MAGENTO', bool(env, 'START_DEMO_SHOPER', true)),
    demoShopDelayMs: int(env, 'DEMO_SHOP_DELAY_MS', 0),
    publicUrl: (env.PUBLIC_URL?.trim() || `http://${linkHost}:${port}`).replace(/\/+$/, ''),
    panelCreateDelayMs: int(env, 'PANEL_CREATE_DELAY_MS', 0),
    mailDelayMs: int(env, 'MAIL_DELAY_MS', 0),
  }
}
