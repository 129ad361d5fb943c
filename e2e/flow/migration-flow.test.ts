/**
 * The whole migration in one process, through HTTP: the mock panel (SQLite file, bree,
 * SMTP sink) against a Shoper mock with 300 demo customers. Asserts what an admin would
 * count, and that the source password never shows up anywhere it could leak.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generateShoperDemoData, shoperDemoProblemCount } from '../../backend/src/connectors/shoper/shoper.demo-data.ts'
import { startShoperMock } from '../../backend/src/connectors/shoper/shoper.mock-server.ts'
import { loadConfig } from '../mock-host/config.ts'
import { createMockHost, type MockHost } from '../mock-host/app.ts'
import { DEMO_SHOPER_SEED } from '../mock-host/demo-shoper.ts'
import { PanelClient } from './panel-client.ts'
import { runMigrationFlow, type FlowReport } from './migration-flow.ts'
import { freePort } from './free-port.ts'

const CUSTOMERS = 300
const SOURCE_PASSWORD = 'Źródło-Hasło-7f3a9c1e'
const dataDir = mkdtempSync(path.join(tmpdir(), 'cm-flow-'))
const logLines: string[] = []
const responses: string[] = []
let host: MockHost
let shop: Awaited<ReturnType<typeof startShoperMock>>
let report: FlowReport
let client: PanelClient

beforeAll(async () => {
  const data = generateShoperDemoData({ count: CUSTOMERS, seed: DEMO_SHOPER_SEED })
  // a real Shoper bucket is 10 calls at 2/s; wider here so the test spends its time on our code
  shop = await startShoperMock({ port: 0, hostname: '127.0.0.1', login: 'api-user', password: SOURCE_PASSWORD, data, bucket: { limit: 40, leakPerSecond: 20 } })
  const port = await freePort()
  const cfg = loadConfig({ PORT: String(port), DATA_DIR: dataDir, SMTP_PORT: String(await freePort()), DEMO_CUSTOMERS: String(CUSTOMERS), START_DEMO_SHOPER: 'false' })
  host = await createMockHost(cfg, { log: (level, msg, d) => logLines.push(`${level} ${msg} ${d ? JSON.stringify(d) : ''}`) })
  await host.start()
  client = new PanelClient({ baseUrl: `http://127.0.0.1:${port}`, onResponse: (_p, body) => responses.push(body) })
  await client.login('operator', 'operator')
  report = await runMigrationFlow({
    client,
    source: { domain: shop.url, login: 'api-user', password: SOURCE_PASSWORD },
    shopIds: ['1', '2'],
    outboxCount: async () => host.outbox.list().length,
    timeoutMs: 120_000,
  })
}, 180_000)

afterAll(async () => {
  await host?.close()
  await shop?.close()
  rmSync(dataDir, { recursive: true, force: true })
})

describe('a 300-customer Shoper shop migrated end to end', () => {
  it('a wrong password is refused with the reason', () => {
    expect(report.wrongPassword.code).toBe('SOURCE_AUTH_FAILED')
    expect(report.wrongPassword.message).toMatch(/login lub hasło/)
  })

  it('fetches every source record; guests are left out and counted', () => {
    const guests = shoperDemoProblemCount(CUSTOMERS, 'guest')
    expect(report.check.customerCount).toBe(CUSTOMERS)
    expect(report.fetched).toBe(CUSTOMERS)
    expect(report.total).toBe(CUSTOMERS)
    expect(report.leftOut.guest).toBe(guests)
    expect(report.written).toBe(CUSTOMERS - guests)
    expect(report.buffered).toBe(CUSTOMERS - guests)
  })

  it('imports the good ones and says per customer why the others failed', () => {
    expect(report.imported + report.failed).toBe(report.buffered)
    expect(report.imported).toBeGreaterThan(report.buffered * 0.6)
    expect(report.failedByCode.POSTCODE_INVALID).toBeGreaterThan(0)
    expect(report.failedByCode.EMAIL_TAKEN).toBeGreaterThan(0)
    expect(report.failedByCode.EMAIL_DUPLICATE_IN_FILE).toBeGreaterThan(0)
  })

  it('importing again creates no duplicate panel customer', () => {
    expect(report.secondImportCreated).toBe(0)
  })

  it('each imported customer got exactly one mail, and the flag says so', async () => {
    expect(report.notified).toBe(report.imported)
    expect(report.mailsSent).toBe(report.imported)
    const recipients = host.outbox.list().map((m) => JSON.stringify(m).toLowerCase())
    expect(new Set(recipients).size).toBe(recipients.length)
  })

  it('the source password is in no response, log line, XML file or database file', () => {
    const needle = SOURCE_PASSWORD
    expect(responses.length).toBeGreaterThan(20)
    expect(responses.filter((r) => r.includes(needle))).toEqual([])
    expect(logLines.filter((l) => l.includes(needle))).toEqual([])
    const files = walk(dataDir)
    expect(files.some((f) => f.endsWith('.xml'))).toBe(true)
    expect(files.some((f) => f.endsWith('.sqlite'))).toBe(true)
    const utf8 = Buffer.from(needle, 'utf8')
    expect(files.filter((f) => readFileSync(f).includes(utf8))).toEqual([])
  })
})

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = path.join(dir, n)
    return statSync(p).isDirectory() ? walk(p) : [p]
  })
}
