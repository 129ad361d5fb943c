/**
 * Shared helpers of the Playwright specs: where things are (mock host by default, another
 * host through E2E_* variables — api.md "QA against another host"), signing in through the
 * login page, opening the migration mode, and one screenshot per step written to
 * test-results/screenshots/<spec>/<NN>-<step>.png and attached to the report.
 */
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { test as base, expect, type Locator, type Page, type TestInfo } from '@playwright/test'
import { DEMO_MAGENTO, DEMO_PRESTASHOP, DEMO_SHOPIFY, DEMO_WOOCOMMERCE } from '../mock-host/demo-credentials.ts'

function env(name: string, fallback: string): string {
  const v = process.env[name]?.trim()
  return v ? v : fallback
}

/** true when the suite drives another host (nothing is started locally) */
export const EXTERNAL_HOST = !!process.env.E2E_BASE_URL?.trim()

export interface Credentials {
  login: string
  password: string
}

export const E2E = {
  admin: { login: env('E2E_ADMIN_LOGIN', 'admin'), password: env('E2E_ADMIN_PASSWORD', 'admin') } satisfies Credentials,
  /** may import customers, may not change templates (mock host user) */
  operator: { login: env('E2E_OPERATOR_LOGIN', 'operator'), password: env('E2E_OPERATOR_PASSWORD', 'operator') } satisfies Credentials,
  /** the source shop the migration fetches from: the mock host's demo Shoper shop by default */
  source: {
    url: env('E2E_SOURCE_URL', `http://127.0.0.1:${env('E2E_DEMO_SHOPER_PORT', '3400')}`),
    login: env('E2E_SOURCE_LOGIN', 'demo'),
    password: env('E2E_SOURCE_PASSWORD', 'demo'),
    /** how many customers the demo shop holds (the mock host is started with this many) */
    customers: Number(env('E2E_DEMO_CUSTOMERS', '120')),
  },
  /** the other platforms' source shops: the mock host's demo WooCommerce and PrestaShop by default */
  woocommerce: {
    url: env('E2E_WOOCOMMERCE_URL', `http://127.0.0.1:${env('E2E_DEMO_WOOCOMMERCE_PORT', '3401')}`),
    consumerKey: env('E2E_WOOCOMMERCE_KEY', DEMO_WOOCOMMERCE.consumerKey),
    consumerSecret: env('E2E_WOOCOMMERCE_SECRET', DEMO_WOOCOMMERCE.consumerSecret),
  },
  prestashop: {
    url: env('E2E_PRESTASHOP_URL', `http://127.0.0.1:${env('E2E_DEMO_PRESTASHOP_PORT', '3402')}`),
    apiKey: env('E2E_PRESTASHOP_KEY', DEMO_PRESTASHOP.apiKey),
    /** a key of the same shop without the customers resource */
    noCustomersKey: env('E2E_PRESTASHOP_KEY_NO_CUSTOMERS', DEMO_PRESTASHOP.noCustomersKey),
  },
  shopify: {
    url: env('E2E_SHOPIFY_URL', `http://127.0.0.1:${env('E2E_DEMO_SHOPIFY_PORT', '3403')}`),
    clientId: env('E2E_SHOPIFY_CLIENT_ID', DEMO_SHOPIFY.clientId),
    clientSecret: env('E2E_SHOPIFY_CLIENT_SECRET', DEMO_SHOPIFY.clientSecret),
    accessToken: env('E2E_SHOPIFY_TOKEN', DEMO_SHOPIFY.accessToken),
    /** an app of the same shop without read_customers */
    noCustomersClientId: env('E2E_SHOPIFY_CLIENT_ID_NO_CUSTOMERS', DEMO_SHOPIFY.noCustomersClientId),
    noCustomersClientSecret: env('E2E_SHOPIFY_CLIENT_SECRET_NO_CUSTOMERS', DEMO_SHOPIFY.noCustomersClientSecret),
  },
  magento2: {
    url: env('E2E_MAGENTO_URL', `http://127.0.0.1:${env('E2E_DEMO_MAGENTO_PORT', '3404')}`),
    consumerKey: env('E2E_MAGENTO_CONSUMER_KEY', DEMO_MAGENTO.consumerKey),
    consumerSecret: env('E2E_MAGENTO_CONSUMER_SECRET', DEMO_MAGENTO.consumerSecret),
    accessToken: env('E2E_MAGENTO_ACCESS_TOKEN', DEMO_MAGENTO.accessToken),
    accessTokenSecret: env('E2E_MAGENTO_ACCESS_TOKEN_SECRET', DEMO_MAGENTO.accessTokenSecret),
  },
  /** the host's pages (the mock host's paths unless told otherwise) */
  paths: {
    login: env('E2E_LOGIN_PATH', '/login'),
    panel: env('E2E_PANEL_PATH', '/klienci/eksport-import'),
    templates: env('E2E_TEMPLATES_PATH', '/administracja/wiadomosci-transakcyjne'),
    outbox: env('E2E_OUTBOX_PATH', '/outbox'),
    plainHost: env('E2E_PLAIN_HOST_PATH', '/plain-host/'),
  },
  /** where the host mounted the module's routes (manifest backend.mountPath) */
  apiBase: env('E2E_API_BASE', '/api/customer-migration'),
  /** the element the host mounts the remote into */
  moduleRootSelector: env('E2E_MODULE_ROOT', '#customer-migration-root'),
} as const

/** The product's own words (mission.md); the specs look for them exactly. */
export const LABELS = {
  pl: {
    moduleName: 'Migracja klientów z innego sklepu',
    panelTitle: 'Eksport i import klientów',
    templateName: 'Mail po zaimportowaniu klientów przez support',
    templatesTitle: 'Konfiguracja wiadomości transakcyjnych',
    outboxTitle: 'Wysłane maile',
  },
  en: {
    moduleName: 'Migrate customers from another shop',
    panelTitle: 'Customer export and import',
    templateName: 'Mail after customers were imported by support',
  },
} as const

/* ------------------------------------------------------------------ signing in */

/**
 * Signs in through the login page, with the keyboard only: type the login, Tab, type the
 * password, Enter. Starts at `next` (a protected page) when given, so the redirect is used.
 */
export async function loginViaPage(page: Page, who: Credentials = E2E.admin, next?: string): Promise<void> {
  await page.goto(next ?? E2E.paths.login)
  await expect(page).toHaveURL(new RegExp(escapeRe(E2E.paths.login)))
  const login = page.getByLabel('Login', { exact: true })
  await login.focus()
  await page.keyboard.type(who.login)
  await page.keyboard.press('Tab')
  await expect(page.getByLabel('Hasło', { exact: true })).toBeFocused()
  await page.keyboard.type(who.password)
  await page.keyboard.press('Enter')
  await expect(page).not.toHaveURL(new RegExp(escapeRe(E2E.paths.login)))
}

/** Signs in through the host's API (POST /auth/login); the browser context gets the cookie. */
export async function loginViaApi(page: Page, who: Credentials = E2E.admin): Promise<void> {
  const res = await page.request.post('/auth/login', { data: { login: who.login, password: who.password } })
  expect(res.status(), `POST /auth/login as ${who.login}`).toBe(200)
}

/* ------------------------------------------------------------------ the module */

/** the element the remote mounts into */
export function moduleRoot(page: Page): Locator {
  return page.locator(E2E.moduleRootSelector)
}

/**
 * KLIENCI / Eksport i import klientów → the migration mode, chosen with the keyboard
 * (focus the mode's link, Enter). Resolves once the module shows its heading.
 */
export async function openMigrationMode(page: Page, opts: { locale?: 'pl' | 'en' } = {}): Promise<Locator> {
  const locale = opts.locale ?? 'pl'
  await page.goto(locale === 'en' ? `${E2E.paths.panel}?lang=en` : E2E.paths.panel)
  const link = page.getByRole('link', { name: LABELS[locale].moduleName, exact: true })
  await link.focus()
  await page.keyboard.press('Enter')
  await expect(link).toHaveAttribute('aria-current', 'page')
  const root = moduleRoot(page)
  await expect(root.getByRole('heading', { name: LABELS[locale].moduleName })).toBeVisible({ timeout: 20_000 })
  return root
}

/** The module's API with the browser's session (page.request shares the context's cookies). */
export function moduleApi(page: Page) {
  const url = (p: string) => `${E2E.apiBase}${p}`
  return {
    get: async <T = unknown>(p: string): Promise<T> => {
      const res = await page.request.get(url(p))
      expect(res.ok(), `GET ${p} → ${res.status()}`).toBeTruthy()
      return (await res.json()) as T
    },
    post: async <T = unknown>(p: string, data?: unknown): Promise<T> => {
      const res = await page.request.post(url(p), data === undefined ? {} : { data })
      expect(res.ok(), `POST ${p} → ${res.status()}`).toBeTruthy()
      return (await res.json()) as T
    },
  }
}

/** Counts the requests whose URL matches, from now on (e.g. the remote's vue chunk). */
export function countRequests(page: Page, pattern: RegExp): { count(): number; urls(): string[] } {
  const seen: string[] = []
  page.on('request', (r) => {
    if (pattern.test(r.url())) seen.push(r.url())
  })
  return { count: () => seen.length, urls: () => [...seen] }
}

/** the remote's own vue chunk (a fallback; a host that shares vue never needs it) */
export const REMOTE_VUE_CHUNK = /\/assets\/[^/]*__prebuild__vue__prebuild__[^/]*\.js$/

/* ------------------------------------------------------------------ screenshots per step */

export const SCREENSHOT_ROOT = fileURLToPath(new URL('../../test-results/screenshots/', import.meta.url))

/**
 * Numbering per spec file, so the story specs read 01-…, 02-… across their tests. Taken from
 * the files already there (global-setup.ts empties the folder per run): a worker restarted
 * after a failure goes on counting instead of overwriting.
 */
function nextNumber(dir: string): number {
  const taken = fs.existsSync(dir) ? fs.readdirSync(dir).map((f) => Number.parseInt(f, 10)).filter(Number.isFinite) : []
  return Math.max(0, ...taken) + 1
}

function slug(s: string): string {
  const map: Record<string, string> = { ą: 'a', ć: 'c', ę: 'e', ł: 'l', ń: 'n', ó: 'o', ś: 's', ź: 'z', ż: 'z' }
  return (
    s
      .toLowerCase()
      .replace(/[ąćęłńóśźż]/g, (ch) => map[ch] ?? ch)
      .normalize('NFKD')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || 'step'
  )
}

function specName(testInfo: TestInfo): string {
  return path.basename(testInfo.file).replace(/\.spec\.[cm]?[jt]s$/, '')
}

/** A full-page screenshot of this moment: test-results/screenshots/<spec>/<NN>-<step>.png, attached. */
export async function snap(page: Page, testInfo: TestInfo, step: string): Promise<string> {
  const dir = path.join(SCREENSHOT_ROOT, specName(testInfo))
  fs.mkdirSync(dir, { recursive: true })
  const n = nextNumber(dir)
  const file = path.join(dir, `${String(n).padStart(2, '0')}-${slug(step)}.png`)
  await page.screenshot({ path: file, fullPage: true })
  await testInfo.attach(`${String(n).padStart(2, '0')} ${step}`, { path: file, contentType: 'image/png' })
  return file
}

/** the steps each spec file went through in this worker (for expectStepScreenshots) */
const stepsTaken = new Map<string, string[]>()

/** A named step in the report, with its screenshot once it is done (also when it failed). */
export async function step<T>(page: Page, testInfo: TestInfo, name: string, body: () => Promise<T>): Promise<T> {
  return base.step(name, async () => {
    let done = false
    try {
      const out = await body()
      done = true
      return out
    } finally {
      // a passed step must leave its screenshot (checked by expectStepScreenshots); a failed one gets
      // it when the page still allows one
      if (done) {
        const spec = specName(testInfo)
        stepsTaken.set(spec, [...(stepsTaken.get(spec) ?? []), name])
      }
      await snap(page, testInfo, name).catch(() => undefined)
    }
  })
}

/**
 * For an afterAll: every step this spec file passed (in this worker) left its screenshot,
 * test-results/screenshots/<spec>/NN-<step>.png, and none is empty. Returns the file names.
 */
export function expectStepScreenshots(testInfo: TestInfo): string[] {
  const spec = specName(testInfo)
  const dir = path.join(SCREENSHOT_ROOT, spec)
  const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.png')).sort() : []
  for (const name of stepsTaken.get(spec) ?? []) {
    const file = files.find((f) => f.replace(/^\d+-/, '') === `${slug(name)}.png`)
    expect(file, `the screenshot of step "${name}" in ${dir}`).toBeTruthy()
    expect(fs.statSync(path.join(dir, file!)).size, `${file} is not empty`).toBeGreaterThan(0)
  }
  return files
}

/**
 * `test` with a `shots` fixture bound to the page: `await shots.step('Sprawdź połączenie', …)`,
 * `await shots.snap('lista importów')`.
 */
export const test = base.extend<{ shots: { snap(name: string): Promise<string>; step<T>(name: string, body: () => Promise<T>): Promise<T> } }>({
  shots: async ({ page }, use, testInfo) => {
    await use({
      snap: (name) => snap(page, testInfo, name),
      step: (name, body) => step(page, testInfo, name, body),
    })
  },
})

export { expect }

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}
