/**
 * The same migration flow as migration-flow.test.ts, on PostgreSQL (production's database):
 * the mock panel with DATABASE_URL=…?schema=cm_<random>, 150 demo customers, same checks.
 * Skipped unless TEST_DATABASE_URL is set (scripts/test-all.sh sets it from
 * scripts/test-run/with-postgres.ts: an embedded server, or yours). The host creates the schema; it is dropped afterwards.
 * Also, PostgreSQL-only: a file with values longer than the buffer's varchar columns still
 * loads (SQLite never checks varchar(n), so only this test can catch that).
 */
import { randomBytes } from 'node:crypto'
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { MikroORM as PostgresOrm } from '@mikro-orm/postgresql'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generateShoperDemoData } from '../../backend/src/connectors/shoper/shoper.demo-data.ts'
import { startShoperMock } from '../../backend/src/connectors/shoper/shoper.mock-server.ts'
import { address, customer } from '../../backend/src/pipeline/xml/xml.fixtures.ts'
import { BufferList, ImportCustomersResponse, ImportDetails } from '@cm/contracts'
import { loadConfig } from '../mock-host/config.ts'
import { createMockHost, type MockHost } from '../mock-host/app.ts'
import { DEMO_SHOPER_SEED } from '../mock-host/demo-shoper.ts'
import { PanelClient } from './panel-client.ts'
import { runMigrationFlow, type FlowReport } from './migration-flow.ts'
import { expectAFullMigration } from './flow-report.expectations.ts'
import { freePort } from './free-port.ts'
import { uploadCustomers } from './host-process.ts'

const BASE_URL = process.env.TEST_DATABASE_URL?.trim() || ''
const CUSTOMERS = 150
const SOURCE_PASSWORD = 'Źródło-Hasło-7f3a9c1e'
const SCHEMA = `cm_${randomBytes(5).toString('hex')}`

/** the base URL with our ?schema= (replacing any it had) */
function withSchema(base: string, schema: string): string {
  const u = new URL(base)
  u.searchParams.set('schema', schema)
  return u.toString()
}
function withoutSchema(base: string): string {
  const u = new URL(base)
  u.searchParams.delete('schema')
  return u.toString()
}

describe.skipIf(!BASE_URL)('a 150-customer Shoper shop migrated end to end on PostgreSQL', () => {
  let dataDir = ''
  const logLines: string[] = []
  const responses: string[] = []
  let host: MockHost | undefined
  let shop: Awaited<ReturnType<typeof startShoperMock>> | undefined
  let report: FlowReport
  let client: PanelClient
  let baseUrl = ''
  /** every row of every table in our schema, as text (read before the host closes) */
  let databaseText = ''
  let tablesInSchema: string[] = []

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'cm-flow-pg-'))
    const data = generateShoperDemoData({ count: CUSTOMERS, seed: DEMO_SHOPER_SEED })
    shop = await startShoperMock({ port: 0, hostname: '127.0.0.1', login: 'api-user', password: SOURCE_PASSWORD, data, bucket: { limit: 40, leakPerSecond: 20 } })
    const port = await freePort()
    const cfg = loadConfig({
      PORT: String(port),
      DATA_DIR: dataDir,
      SMTP_PORT: String(await freePort()),
      DEMO_CUSTOMERS: String(CUSTOMERS),
      START_DEMO_SHOPER: 'false',
      DATABASE_URL: withSchema(BASE_URL, SCHEMA),
    })
    expect(cfg.db).toMatchObject({ kind: 'postgresql', schema: SCHEMA })
    host = await createMockHost(cfg, { log: (level, msg, d) => logLines.push(`${level} ${msg} ${d ? JSON.stringify(d) : ''}`) })
    await host.start()
    baseUrl = `http://127.0.0.1:${port}`
    client = new PanelClient({ baseUrl, onResponse: (_p, body) => responses.push(body) })
    await client.login('operator', 'operator')
    report = await runMigrationFlow({
      client,
      source: { domain: shop.url, login: 'api-user', password: SOURCE_PASSWORD },
      shopIds: ['1', '2'],
      outboxCount: async () => host!.outbox.list().length,
      timeoutMs: 90_000,
    })
    const conn = host.orm.em.fork().getConnection()
    const tables = (await conn.execute(
      'select table_name from information_schema.tables where table_schema = ? order by table_name',
      [SCHEMA],
    )) as Array<{ table_name: string }>
    tablesInSchema = tables.map((t) => t.table_name)
    const dumps: string[] = []
    for (const t of tablesInSchema) {
      const rows = (await conn.execute(`select t::text as r from "${SCHEMA}"."${t}" t`)) as Array<{ r: string }>
      dumps.push(...rows.map((x) => x.r))
    }
    databaseText = dumps.join('\n')
  }, 150_000)

  afterAll(async () => {
    await host?.close()
    await shop?.close()
    if (dataDir) rmSync(dataDir, { recursive: true, force: true })
    // a fresh connection: the host's is closed by now
    const orm = await PostgresOrm.init({ clientUrl: withoutSchema(BASE_URL), entities: [], discovery: { warnWhenNoEntities: false }, debug: false })
    try {
      await orm.em.getConnection().execute(`drop schema if exists "${SCHEMA}" cascade`)
    } finally {
      await orm.close()
    }
  }, 60_000)

  it('runs in its own schema, module and panel tables side by side', () => {
    expect(tablesInSchema).toEqual(expect.arrayContaining(['xcm_import', 'xcm_buffer_customer', 'xcm_password_token']))
    expect(tablesInSchema.length).toBeGreaterThan(4)
  })

  expectAFullMigration(() => ({ report, customers: CUSTOMERS, mailRecipients: () => host!.outbox.list().flatMap((m) => m.to.map((to) => to.toLowerCase())) }))

  it('the source password is in no response, log line, XML file or database row', () => {
    const needle = SOURCE_PASSWORD
    expect(responses.length).toBeGreaterThan(20)
    expect(responses.filter((r) => r.includes(needle))).toEqual([])
    expect(logLines.filter((l) => l.includes(needle))).toEqual([])
    const files = walk(dataDir)
    expect(files.some((f) => f.endsWith('.xml'))).toBe(true)
    const utf8 = Buffer.from(needle, 'utf8')
    expect(files.filter((f) => readFileSync(f).includes(utf8))).toEqual([])
    // the sealed credentials are in the import row, so the dump is not empty
    expect(databaseText.length).toBeGreaterThan(1000)
    expect(databaseText.includes(needle)).toBe(false)
  })

  // SQLite does not enforce varchar(n); PostgreSQL refuses the whole batch if one value does not fit
  it('values the file allows but the panel does not are buffered, then fail per customer', async () => {
    const up = await uploadCustomers(baseUrl, [
      customer('ok-1', { addresses: [address()] }),
      customer('long-email', { email: `${'a'.repeat(400)}@example.pl`, addresses: [address()] }),
      customer('long-login', { login: 'l'.repeat(150), addresses: [address()] }),
      customer('ż'.repeat(100), { addresses: [address({ street: 'ulica '.repeat(60) })] }),
    ])
    await client.call('POST', `/imports/${up.id}/verify`, ImportDetails)
    const verified = await client.until(() => client.call('GET', `/imports/${up.id}`, ImportDetails), (d) => d.status !== 'verifying', 30_000)
    expect(verified.status).toBe('buffered')
    expect(verified.counts.pending).toBe(4)
    await client.call('POST', `/imports/${up.id}/buffer/import`, ImportCustomersResponse, { all: true })
    const done = await client.until(() => client.call('GET', `/imports/${up.id}`, ImportDetails), (d) => d.counts.pending === 0, 30_000)
    expect(done.counts).toMatchObject({ imported: 1, failed: 3 })
    const failed = await client.call('GET', `/imports/${up.id}/buffer?state=failed&limit=10`, BufferList)
    const codes = Object.fromEntries(failed.items.map((r) => [r.sourceId, r.errors.map((e) => e.code)]))
    expect(codes['long-email']).toContain('FIELD_TOO_LONG')
    expect(codes['long-login']).toContain('FIELD_TOO_LONG')
    expect(codes['ż'.repeat(100)]).toContain('FIELD_TOO_LONG')
  })
})

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = path.join(dir, n)
    return statSync(p).isDirectory() ? walk(p) : [p]
  })
}
