/** `npm start`: the mock panel with its SMTP sink and the demo Shoper, WooCommerce, PrestaShop, Shopify and Magento 2 shops, until Ctrl+C. */
import { createMockHost, type MockHost } from './app.ts'
import { loadConfig } from './config.ts'
import { DEMO_MAGENTO, DEMO_PRESTASHOP, DEMO_SHOPIFY, DEMO_WOOCOMMERCE } from './demo-credentials.ts'
import { DEMO_SHOPER_LOGIN, DEMO_SHOPER_PASSWORD } from './demo-shoper.ts'
import { PANEL_USERS } from './panel-users.ts'

const CLOSE_TIMEOUT_MS = 10_000

async function main(): Promise<void> {
  const cfg = loadConfig()
  let host: MockHost
  try {
    host = await createMockHost(cfg)
    await host.start()
  } catch (err) {
    console.error(`\nThe mock host cannot start: ${(err as Error).message}\n`)
    process.exit(1)
  }

  const { urls } = host
  const db = cfg.db.kind === 'sqlite' ? `SQLite ${cfg.db.path}` : `PostgreSQL (schema ${cfg.db.schema})`
  console.log(
    [
      '',
      'Panel (mock IdoSell) is ready',
      `  Klienci / Eksport i import:  ${urls.panel}`,
      `  Logowanie:                   ${urls.login}   (${PANEL_USERS.map((u) => `${u.login}/${u.password}`).join(', ')})`,
      `  Szablony wiadomości:         ${cfg.publicUrl}/administracja/wiadomosci-transakcyjne`,
      `  Wysłane maile:               ${urls.outbox}   (JSON: ${urls.apiOutbox}; SMTP ${urls.smtp})`,
      `  Baza klientów (JSON):        ${urls.customers}`,
      `  API modułu:                  ${urls.moduleApi}`,
      `  Moduł (remote, zbudowany):   ${urls.remoteEntry}`,
      `  Host bez Vite/Vue:           ${urls.plainHost}`,
      urls.demoShoper
        ? `  Demo Shoper:                 ${urls.demoShoper}   (login ${DEMO_SHOPER_LOGIN}, hasło ${DEMO_SHOPER_PASSWORD}, ${cfg.demoCustomers} klientów, parametry spoza dokumentacji: ${cfg.demoShoperListParams})`
        : '  Demo Shoper:                 not started (START_DEMO_SHOPER=false)',
      urls.demoWooCommerce
        ? `  Demo WooCommerce:            ${urls.demoWooCommerce}   (consumer key ${DEMO_WOOCOMMERCE.consumerKey}, consumer secret ${DEMO_WOOCOMMERCE.consumerSecret}, ${cfg.demoCustomers} klientów; http, więc zapytania podpisane OAuth 1.0a)`
        : '  Demo WooCommerce:            not started (START_DEMO_WOOCOMMERCE=false)',
      urls.demoPrestaShop
        ? `  Demo PrestaShop:             ${urls.demoPrestaShop}   (klucz API ${DEMO_PRESTASHOP.apiKey}, ${cfg.demoCustomers} klientów; klucz bez zasobu customers: ${DEMO_PRESTASHOP.noCustomersKey})`
        : '  Demo PrestaShop:             not started (START_DEMO_PRESTASHOP=false)',
      urls.demoShopify
        ? `  Demo Shopify:                ${urls.demoShopify}   (Client ID ${DEMO_SHOPIFY.clientId}, client secret ${DEMO_SHOPIFY.clientSecret}; albo token ${DEMO_SHOPIFY.accessToken}; ${cfg.demoCustomers} klientów)`
        : '  Demo Shopify:                not started (START_DEMO_SHOPIFY=false)',
      urls.demoMagento
        ? `  Demo Magento 2:              ${urls.demoMagento}   (Consumer Key ${DEMO_MAGENTO.consumerKey}, Consumer Secret ${DEMO_MAGENTO.consumerSecret}, Access Token ${DEMO_MAGENTO.accessToken}, Access Token Secret ${DEMO_MAGENTO.accessTokenSecret}; ${cfg.demoCustomers} klientów)`
        : '  Demo Magento 2:              not started (START_DEMO_MAGENTO=false)',
      `  Dane:                        ${cfg.dataDir} (${db})`,
      '',
    ].join('\n'),
  )

  if (!host.remote.isBuilt()) console.warn(`Warning: ${host.remote.missingMessage()}\n`)

  let stopping = false
  const stop = (signal: string) => {
    // a second Ctrl+C means "now"
    if (stopping) process.exit(130)
    stopping = true
    console.log(`\n${signal}: closing…`)
    const force = setTimeout(() => {
      console.error('Closing took too long; exiting anyway.')
      process.exit(1)
    }, CLOSE_TIMEOUT_MS)
    force.unref()
    host.close().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error('Closing failed:', err)
        process.exit(1)
      },
    )
  }
  process.on('SIGINT', () => stop('SIGINT'))
  process.on('SIGTERM', () => stop('SIGTERM'))
}

await main()
