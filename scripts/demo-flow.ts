/**
 * Drives the whole migration against a running demo panel (`npm start`) and prints the
 * figures: customers fetched, buffered, imported, failed per error code, mails sent, and how
 * long the fetch waited on the source's rate limit or cost bucket.
 *   PANEL_URL (http://127.0.0.1:3000)  PLATFORM (shoper | woocommerce | prestashop | shopify | magento2)
 *   SOURCE_URL (the platform's demo shop)  SOURCE_LOGIN/SOURCE_PASSWORD (Shoper: demo/demo)
 */
import { PanelClient } from '../e2e/flow/panel-client.ts'
import { runMigrationFlow, type FlowInput } from '../e2e/flow/migration-flow.ts'
import { DEMO_MAGENTO, DEMO_PRESTASHOP, DEMO_SHOPIFY, DEMO_WOOCOMMERCE } from '../e2e/mock-host/demo-credentials.ts'

const panel = process.env.PANEL_URL ?? 'http://127.0.0.1:3000'
const platform = process.env.PLATFORM ?? 'shoper'
const url = (port: number) => process.env.SOURCE_URL ?? `http://127.0.0.1:${port}`
/** each demo shop's credentials (e2e/mock-host/demo-credentials.ts) and what to spoil for the bad check */
const SOURCES: Record<string, FlowInput['source']> = {
  shoper: { domain: url(3100), login: process.env.SOURCE_LOGIN ?? 'demo', password: process.env.SOURCE_PASSWORD ?? 'demo' },
  woocommerce: {
    credentials: { platform, domain: url(3101), consumerKey: DEMO_WOOCOMMERCE.consumerKey, consumerSecret: DEMO_WOOCOMMERCE.consumerSecret },
    spoil: { consumerSecret: 'cs_0000000000000000000000000000000000000000' },
  },
  prestashop: { credentials: { platform, domain: url(3102), apiKey: DEMO_PRESTASHOP.apiKey }, spoil: { apiKey: DEMO_PRESTASHOP.noCustomersKey } },
  shopify: {
    credentials: { platform, domain: url(3103), clientId: DEMO_SHOPIFY.clientId, clientSecret: DEMO_SHOPIFY.clientSecret },
    spoil: { clientSecret: 'shpss_00000000000000000000000000000000' },
  },
  magento2: {
    credentials: {
      platform,
      domain: url(3104),
      consumerKey: DEMO_MAGENTO.consumerKey,
      consumerSecret: DEMO_MAGENTO.consumerSecret,
      accessToken: DEMO_MAGENTO.accessToken,
      accessTokenSecret: DEMO_MAGENTO.accessTokenSecret,
    },
    spoil: { accessTokenSecret: 'zlysekret0000000000000000000000x' },
  },
}
const source = SOURCES[platform]
if (!source) throw new Error(`PLATFORM must be one of ${Object.keys(SOURCES).join(', ')}`)

const client = new PanelClient({ baseUrl: panel })
await client.login(process.env.PANEL_LOGIN ?? 'operator', process.env.PANEL_PASSWORD ?? 'operator')
const outboxCount = async () => (JSON.parse((await client.raw('GET', '/api/outbox')).text) as { total: number }).total
let lastProgress = ''
const report = await runMigrationFlow({
  client,
  source,
  shopIds: (process.env.SHOP_IDS ?? '1').split(','),
  outboxCount,
  log: (line) => {
    if (line.startsWith('  pobieranie')) {
      if (line !== lastProgress) process.stdout.write(`\r${line}`)
      lastProgress = line
    } else console.log(`${lastProgress ? '\n' : ''}${line}`), (lastProgress = '')
  },
})

console.log('\n== Wynik migracji (import #%s)', report.importId)
console.log('konta w źródle (pobrane/ogółem): %d/%s', report.fetched, report.total ?? '?')
console.log('pominięte przy pobieraniu:        %s', JSON.stringify(report.leftOut))
console.log('klienci w pliku XML:              %d (pobieranie %s s, oczekiwania na limit API: %d, łącznie %s s)', report.written, report.fetchSeconds.toFixed(1), report.rateLimitWaits, (report.rateLimitWaitMs / 1000).toFixed(1))
console.log('w buforze:                        %d', report.buffered)
console.log('zaimportowani:                    %d', report.imported)
console.log('niezaimportowani (z błędami):     %d', report.failed)
for (const [code, n] of Object.entries(report.failedByCode).sort((a, b) => b[1] - a[1])) console.log('   %s %d', code.padEnd(26), n)
console.log('ponowny import utworzył:          %d (powinno być 0)', report.secondImportCreated)
console.log('poinformowani (flaga):            %d', report.notified)
console.log('maile w skrzynce SMTP:            %d', report.mailsSent)
