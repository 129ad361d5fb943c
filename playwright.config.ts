/**
 * End-to-end suite (e2e/tests) in Debian's Chromium (/usr/bin/chromium, installed by
 * scripts/ensure-chromium.sh; never `npx playwright install`).
 *
 * By default it starts the mock host (e2e/mock-host) with a fresh temporary DATA_DIR and the
 * demo Shoper shop. With E2E_BASE_URL set it starts nothing and drives that host instead
 * (with E2E_ADMIN_LOGIN / E2E_ADMIN_PASSWORD and E2E_SOURCE_URL / E2E_SOURCE_LOGIN /
 * E2E_SOURCE_PASSWORD for the source shop; see e2e/tests/support.ts).
 * Run it with `bash scripts/test-e2e.sh` (builds the remote first).
 */
import { defineConfig } from '@playwright/test'

const external = process.env.E2E_BASE_URL?.replace(/\/+$/, '') || null
const port = Number(process.env.E2E_PORT ?? 3300)
const baseURL = external ?? `http://127.0.0.1:${port}`

export default defineConfig({
  testDir: 'e2e/tests',
  testMatch: '**/*.spec.ts',
  outputDir: 'test-results/playwright',
  globalSetup: './e2e/tests/global-setup.ts',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: !!process.env.CI,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list'], ['json', { outputFile: 'test-results/e2e.json' }]],
  use: {
    baseURL,
    headless: true,
    screenshot: 'on',
    trace: 'retain-on-failure',
    locale: 'pl-PL',
    viewport: { width: 1280, height: 800 },
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  projects: [{ name: 'chromium' }],
  webServer: external
    ? undefined
    : {
        // a fresh temporary DATA_DIR, removed when the server stops (see the script)
        command: 'bash e2e/tests/start-mock-host.sh',
        url: `${baseURL}/health`,
        reuseExistingServer: false,
        timeout: 90_000,
        stdout: 'ignore',
        stderr: 'pipe',
        gracefulShutdown: { signal: 'SIGTERM', timeout: 10_000 },
        env: {
          PORT: String(port),
          HOST: '127.0.0.1',
          SMTP_PORT: process.env.E2E_SMTP_PORT ?? '2625',
          DEMO_SHOPER_PORT: process.env.E2E_DEMO_SHOPER_PORT ?? '3400',
          DEMO_WOOCOMMERCE_PORT: process.env.E2E_DEMO_WOOCOMMERCE_PORT ?? '3401',
          DEMO_PRESTASHOP_PORT: process.env.E2E_DEMO_PRESTASHOP_PORT ?? '3402',
          DEMO_SHOPIFY_PORT: process.env.E2E_DEMO_SHOPIFY_PORT ?? '3403',
          DEMO_MAGENTO_PORT: process.env.E2E_DEMO_MAGENTO_PORT ?? '3404',
          DEMO_CUSTOMERS: process.env.E2E_DEMO_CUSTOMERS ?? '120',
          // one page an answer, a second each, as a distant shop without the bulk endpoint: the
          // fetch lasts long enough for usuń źródło to land while it runs
          DEMO_SHOPER_BULK: 'false',
          DEMO_SHOPER_DELAY_MS: process.env.E2E_DEMO_SHOPER_DELAY_MS ?? '1000',
          // the story specs fetch 120 customers at Shoper's pace; widen with e.g. 100:50
          ...(process.env.E2E_DEMO_SHOPER_BUCKET ? { DEMO_SHOPER_BUCKET: process.env.E2E_DEMO_SHOPER_BUCKET } : {}),
          ALLOW_PRIVATE_SOURCES: 'true',
        },
      },
})
