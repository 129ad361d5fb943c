/**
 * Drives the whole migration against a running demo panel (`npm start`) and prints the
 * figures: customers fetched, buffered, imported, failed per error code, mails sent.
 *   PANEL_URL (http://127.0.0.1:3000)  SOURCE_URL (http://127.0.0.1:3100)  SOURCE_LOGIN/SOURCE_PASSWORD (demo/demo)
 */
import { PanelClient } from '../e2e/flow/panel-client.ts'
import { runMigrationFlow } from '../e2e/flow/migration-flow.ts'

const panel = process.env.PANEL_URL ?? 'http://127.0.0.1:3000'
const source = {
  domain: process.env.SOURCE_URL ?? 'http://127.0.0.1:3100',
  login: process.env.SOURCE_LOGIN ?? 'demo',
  password: process.env.SOURCE_PASSWORD ?? 'demo',
}

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
console.log('klienci w pliku XML:              %d (pobieranie %s s, oczekiwania na limit API: %d)', report.written, report.fetchSeconds.toFixed(1), report.rateLimitWaits)
console.log('w buforze:                        %d', report.buffered)
console.log('zaimportowani:                    %d', report.imported)
console.log('niezaimportowani (z błędami):     %d', report.failed)
for (const [code, n] of Object.entries(report.failedByCode).sort((a, b) => b[1] - a[1])) console.log('   %s %d', code.padEnd(26), n)
console.log('ponowny import utworzył:          %d (powinno być 0)', report.secondImportCreated)
console.log('poinformowani (flaga):            %d', report.notified)
console.log('maile w skrzynce SMTP:            %d', report.mailsSent)
