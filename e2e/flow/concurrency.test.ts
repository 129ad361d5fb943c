/**
 * Concurrent and repeated clicks against one mock host (in this process, SQLite file, real
 * bree workers, real SMTP sink), over HTTP, fired together with Promise.all:
 * - two imports from the same source shop at once: one is created, the other refused (409
 *   IMPORT_ALREADY_RUNNING) while the first fetches or verifies;
 * - the same "import {ids}" five times at once, and "import all" twice: each customer created once;
 * - the same "notify {ids}" five times at once, and "notify all" twice: one mail per customer;
 * - usuń źródło during verification: refused (409 IMPORT_STATE_CONFLICT), the verification
 *   ends as if nothing was clicked, and usuń źródło works after it;
 * - usuń źródło during "import all": the import becomes source_deleted, the background loop
 *   stops after the batch in hand, and what was imported stays imported, one panel customer each.
 * PANEL_CREATE_DELAY_MS (the mock host's slow-panel knob) keeps "import all" running long
 * enough to click into it.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { BufferList, ImportCustomersResponse, ImportDetails, ImportedList, NotifyResponse, type CanonicalCustomer } from '@cm/contracts'
import { generateShoperDemoData } from '../../backend/src/connectors/shoper/shoper.demo-data.ts'
import { startShoperMock, type RunningShoperMock } from '../../backend/src/connectors/shoper/shoper.mock-server.ts'
import { address, customer } from '../../backend/src/pipeline/xml/xml.fixtures.ts'
import { reliabilityCase } from '../../backend/src/testing/reliability.ts'
import { IMPORT_BATCH } from '../../backend/src/pipeline/import/import.stage.ts'
import { loadConfig } from '../mock-host/config.ts'
import { createMockHost, type MockHost } from '../mock-host/app.ts'
import { DEMO_SHOPER_SEED } from '../mock-host/demo-shoper.ts'
import { PanelClient } from './panel-client.ts'
import { freePort } from './free-port.ts'
import { allPages, outboxByRecipient, panelCustomersOf, readDb, uploadCustomers } from './host-process.ts'
import { bufferLosses, bufferSourceIds, mailsTwice, panelLosses } from './loss-figures.ts'

const LOGIN = 'api-migracja'
const PASSWORD = 'Hasło-Concurrency-91c2'
const dataDir = mkdtempSync(path.join(tmpdir(), 'cm-concurrency-'))
const logLines: string[] = []
let host: MockHost
let shop: RunningShoperMock
let baseUrl = ''
let client: PanelClient

const ErrorBody = z.object({ error: z.object({ code: z.string(), message: z.string() }) })

function people(prefix: string, n: number): CanonicalCustomer[] {
  return Array.from({ length: n }, (_, i) =>
    customer(`${prefix}${i}`, { email: `${prefix}-${i}@concurrency.example`, lastName: `Równoległy${i}`, addresses: [address()] }),
  )
}

const details = (id: string) => client.call('GET', `/imports/${id}`, ImportDetails)
const until = <T>(read: () => Promise<T>, done: (v: T) => boolean, ms = 30_000) => client.until(read, done, ms)

async function bufferedImport(prefix: string, n: number): Promise<string> {
  const up = await uploadCustomers(baseUrl, people(prefix, n))
  await client.call('POST', `/imports/${up.id}/verify`, ImportDetails)
  const d = await until(() => details(up.id), (d) => d.status !== 'verifying')
  expect(d.status).toBe('buffered')
  return up.id
}

const pendingIds = async (id: string, limit: number) => (await client.call('GET', `/imports/${id}/buffer?state=pending&limit=${limit}`, BufferList)).items.map((r) => r.id)

/** panel customers of an import vs its imported rows: both directions, by externalRef */
async function consistency(id: string) {
  const panel = await panelCustomersOf(baseUrl, id)
  const rows = await allPages((c) => client.call('GET', `/imports/${id}/imported?limit=500${c ? `&cursor=${c}` : ''}`, ImportedList))
  const refs = new Set(panel.map((c) => c.externalRef))
  const panelById = new Map(panel.map((c) => [c.id, c.externalRef]))
  const rowRefs = new Set(rows.map((r) => `cm:${id}:${r.sourceId}`))
  return {
    panel: panel.length,
    imported: rows.length,
    duplicated: panel.length - refs.size,
    rowsWithoutCustomer: rows.filter((r) => panelById.get(r.panelCustomerId) !== `cm:${id}:${r.sourceId}`).length,
    customersWithoutRow: panel.filter((c) => !rowRefs.has(c.externalRef!)).length,
    rows,
  }
}

const rowsIn = (id: string, state: string) =>
  readDb(dataDir, (db) => (db.prepare('select count(*) as n from xcm_buffer_customer where import_id = ? and state = ?').get(Number(id), state) as { n: number }).n)

beforeAll(async () => {
  shop = await startShoperMock({
    port: 0,
    hostname: '127.0.0.1',
    login: LOGIN,
    password: PASSWORD,
    data: generateShoperDemoData({ count: 300, seed: DEMO_SHOPER_SEED }),
    bucket: { limit: 40, leakPerSecond: 20 },
    // slow enough that the first fetch still runs when the second request lands
    faults: { delayMs: 100 },
  })
  const port = await freePort()
  baseUrl = `http://127.0.0.1:${port}`
  const cfg = loadConfig({
    PORT: String(port),
    DATA_DIR: dataDir,
    SMTP_PORT: '0',
    START_DEMO_SHOPER: 'false',
    DEMO_CUSTOMERS: '100',
    PANEL_CREATE_DELAY_MS: '100',
  })
  host = await createMockHost(cfg, { log: (level, msg, d) => logLines.push(`${level} ${msg} ${d ? JSON.stringify(d) : ''}`) })
  await host.start()
  client = new PanelClient({ baseUrl })
  await client.login('operator', 'operator')
})

afterAll(async () => {
  await host?.close()
  await shop?.close()
  rmSync(dataDir, { recursive: true, force: true })
})

describe('concurrent and repeated actions', () => {
  it('two imports from the same source shop at once: exactly one 201, the other 409 IMPORT_ALREADY_RUNNING', async () => {
    const rc = reliabilityCase('concurrency', 'two imports from the same source at once: one created, one 409 IMPORT_ALREADY_RUNNING')
    const body = { credentials: { platform: 'shoper', domain: shop.url, login: LOGIN, password: PASSWORD }, shopIds: ['1'] }
    const answers = await Promise.all([client.raw('POST', `${client.api}/imports`, body), client.raw('POST', `${client.api}/imports`, body)])
    rc.tried(answers.length)
    rc.rejected(answers.filter((a) => a.status === 409).length)
    const statuses = answers.map((a) => a.status).sort()
    expect(statuses, answers.map((a) => a.text.slice(0, 200)).join('\n')).toEqual([201, 409])
    const refused = ErrorBody.parse(JSON.parse(answers.find((a) => a.status === 409)!.text))
    expect(refused.error.code).toBe('IMPORT_ALREADY_RUNNING')
    const created = ImportDetails.parse(JSON.parse(answers.find((a) => a.status === 201)!.text))
    const sameSource = (await client.raw('GET', `${client.api}/imports?limit=500`)).text
    const list = z.object({ items: z.array(z.object({ id: z.string(), domain: z.string() })) }).parse(JSON.parse(sameSource))
    expect(list.items.filter((i) => i.domain === shop.url)).toHaveLength(1)

    // serialised, not locked out: once the first is stopped (usuń źródło), the same source may be imported again
    expect((await details(created.id)).status).toBe('awaiting_xml')
    await client.call('DELETE', `/imports/${created.id}/source`, ImportDetails)
    const again = await client.raw('POST', `${client.api}/imports`, body)
    expect(again.status).toBe(201)
    await client.call('DELETE', `/imports/${ImportDetails.parse(JSON.parse(again.text)).id}/source`, ImportDetails)

    console.info(`[concurrency] two POST /imports at once: ${answers.map((a) => a.status).join(' + ')}; the refused one: ${refused.error.code} "${refused.error.message}"`)
  })

  it('the same import {ids} five times at once, then import all twice at once: every customer created once', async () => {
    const importing = reliabilityCase('concurrency', '5 parallel import {ids} + 2 parallel import all')
    const notifying = reliabilityCase('concurrency', '5 parallel notify {ids} + 2 parallel notify all')
    const N = 100
    const everyone = people('dbl', N)
    const id = await bufferedImport('dbl', N)
    // counted in the panel's database when the test ends, passed or failed
    importing.atEnd(() => panelLosses(dataDir, id, everyone.map((p) => p.sourceId)))
    const ids = await pendingIds(id, 60)
    const clicks = await Promise.all(Array.from({ length: 5 }, () => client.call('POST', `/imports/${id}/buffer/import`, ImportCustomersResponse, { ids })))
    importing.tried(clicks.length)
    // every click answers for every id; the rows are imported once whoever claimed them
    for (const c of clicks) expect(c.results).toHaveLength(ids.length)
    const afterIds = await consistency(id)
    expect(afterIds.panel).toBe(ids.length)
    expect(afterIds.imported).toBe(ids.length)

    const twice = await Promise.all([0, 1].map(() => client.call('POST', `/imports/${id}/buffer/import`, ImportCustomersResponse, { all: true })))
    importing.tried(twice.length)
    // each click reports what is still queued at its moment; the loop runs once
    expect(Math.max(...twice.map((t) => t.queued))).toBe(N - ids.length)
    const done = await until(() => details(id), (d) => d.counts.pending === 0)
    expect(done.status).toBe('completed')
    expect(rowsIn(id, 'importing')).toBe(0)
    // and again, once everything is in: nobody new
    await Promise.all(Array.from({ length: 5 }, () => client.call('POST', `/imports/${id}/buffer/import`, ImportCustomersResponse, { ids })))
    importing.tried(5)
    const c = await consistency(id)
    expect(c).toMatchObject({ panel: N, imported: N, duplicated: 0, rowsWithoutCustomer: 0, customersWithoutRow: 0 })

    console.info(
      `[concurrency] 5 x import {${ids.length} ids} at once -> ${afterIds.panel} panel customers; 2 x import all at once -> ` +
        `${c.panel} panel customers for ${N} rows (duplicated ${c.duplicated}, rows without customer ${c.rowsWithoutCustomer}, customers without row ${c.customersWithoutRow})`,
    )

    // notify: the same {ids} five times at once, then notify all twice at once
    const before = await outboxByRecipient(baseUrl)
    notifying.atEnd(async () => ({ mailsSentTwice: mailsTwice(before, await outboxByRecipient(baseUrl), everyone.map((p) => p.email)) }))
    const notifyClicks = await Promise.all(Array.from({ length: 5 }, () => client.call('POST', `/imports/${id}/imported/notify`, NotifyResponse, { ids })))
    notifying.tried(notifyClicks.length)
    const sentByClicks = notifyClicks.reduce((s, n) => s + n.sent, 0)
    expect(sentByClicks).toBe(ids.length)
    const all2 = await Promise.all([0, 1].map(() => client.call('POST', `/imports/${id}/imported/notify`, NotifyResponse, { all: true })))
    notifying.tried(all2.length)
    expect(Math.max(...all2.map((a) => a.queued))).toBe(N - ids.length)
    await until(() => client.call('GET', `/imports/${id}/imported?notified=false&limit=1`, ImportedList), (l) => l.total === 0)
    // a last plain click: nothing more
    await client.call('POST', `/imports/${id}/imported/notify`, NotifyResponse, { ids })
    notifying.tried(1)
    const after = await outboxByRecipient(baseUrl)
    const perCustomer = c.rows.map((r) => (after.get(r.email.toLowerCase()) ?? 0) - (before.get(r.email.toLowerCase()) ?? 0))
    const sentTwice = perCustomer.filter((n) => n > 1).length
    const notSent = perCustomer.filter((n) => n === 0).length
    expect(sentTwice).toBe(0)
    expect(notSent).toBe(0)
    expect((await details(id)).counts.notified).toBe(N)

    console.info(`[concurrency] 5 x notify {${ids.length} ids} at once -> ${sentByClicks} sent in total; 2 x notify all at once; mails per customer: twice ${sentTwice}, none ${notSent}`)
  })

  it('usuń źródło during verification: 409 IMPORT_STATE_CONFLICT; the verification ends consistently; afterwards it works', async () => {
    const N = 20_000
    const rc = reliabilityCase('concurrency', `usuń źródło during verify (${N} customers): refused while verifying, verification intact`)
    const up = await uploadCustomers(baseUrl, people('ver', N))
    rc.atEnd(() => bufferLosses(dataDir, up.id, N))
    await client.call('POST', `/imports/${up.id}/verify`, ImportDetails)
    expect((await details(up.id)).status).toBe('verifying')
    // click usuń źródło again and again: refused while verifying, accepted once it has ended
    let refusals = 0
    const codes = new Set<string>()
    let accepted: ImportDetails | null = null
    while (!accepted) {
      const r = await client.raw('DELETE', `${client.api}/imports/${up.id}/source`)
      rc.tried(1)
      if (r.status === 409) rc.rejected(1)
      if (r.status === 200) accepted = ImportDetails.parse(JSON.parse(r.text))
      else {
        expect(r.status, r.text.slice(0, 200)).toBe(409)
        codes.add(ErrorBody.parse(JSON.parse(r.text)).error.code)
        refusals++
        await new Promise((r) => setTimeout(r, 50))
      }
    }
    expect(refusals).toBeGreaterThan(0)
    expect([...codes]).toEqual(['IMPORT_STATE_CONFLICT'])
    // accepted only after the verification had ended, with everything loaded
    expect(accepted.status).toBe('source_deleted')
    expect(accepted.verification).toMatchObject({ ok: true, customers: N })
    expect(accepted.counts.pending).toBe(N)
    const inDb = readDb(dataDir, (db) => db.prepare('select count(*) as rows, count(distinct source_id) as ids from xcm_buffer_customer where import_id = ?').get(Number(up.id))) as { rows: number; ids: number }
    expect(inDb).toEqual({ rows: N, ids: N })
    // the file is gone, the buffer stays readable
    expect((await client.raw('GET', `${client.api}/imports/${up.id}/file`)).status).toBe(409)
    expect((await client.call('GET', `/imports/${up.id}/buffer?limit=1`, BufferList)).total).toBe(N)

    console.info(`[concurrency] usuń źródło during verify: ${refusals} x 409 ${[...codes].join()}, then accepted after the verification ended with ${inDb.rows} rows (${inDb.ids} distinct)`)
  })

  it('usuń źródło during import all: source_deleted, the loop stops, what was imported stays imported, one panel customer each', async () => {
    const N = 2_000
    const rc = reliabilityCase('concurrency', 'usuń źródło during import all: loop stops, imported stay consistent')
    const id = await bufferedImport('del', N)
    // every row the module marked imported must have its one panel customer
    rc.atEnd(() => panelLosses(dataDir, id, bufferSourceIds(dataDir, id, ['imported'])))
    await client.call('POST', `/imports/${id}/buffer/import`, ImportCustomersResponse, { all: true })
    await until(() => details(id), (d) => d.counts.imported >= 400, 30_000)
    const deleted = await client.call('DELETE', `/imports/${id}/source`, ImportDetails)
    expect(deleted.status).toBe('source_deleted')
    const atDelete = deleted.counts.imported

    // the batch in hand finishes; then nothing moves any more
    let last = -1
    let stableSince = Date.now()
    for (;;) {
      const imported = (await details(id)).counts.imported
      if (imported !== last || rowsIn(id, 'importing') > 0) {
        last = imported
        stableSince = Date.now()
      } else if (Date.now() - stableSince > 1_500) break
      await new Promise((r) => setTimeout(r, 100))
    }
    const final = await details(id)
    expect(final.status).toBe('source_deleted')
    expect(final.counts.imported).toBeLessThan(N)
    // at most the batch in hand after the click
    expect(final.counts.imported - atDelete).toBeLessThanOrEqual(IMPORT_BATCH)
    expect(final.counts.pending + final.counts.failed + final.counts.skipped + final.counts.imported).toBe(N)
    expect(rowsIn(id, 'importing')).toBe(0)
    const c = await consistency(id)
    expect(c).toMatchObject({ panel: final.counts.imported, imported: final.counts.imported, duplicated: 0, rowsWithoutCustomer: 0, customersWithoutRow: 0 })
    // and nothing more can be imported from it
    const refused = await client.raw('POST', `${client.api}/imports/${id}/buffer/import`, { all: true })
    expect(refused.status).toBe(409)
    expect(ErrorBody.parse(JSON.parse(refused.text)).error.code).toBe('IMPORT_STATE_CONFLICT')

    console.info(
      `[concurrency] usuń źródło during import all: ${atDelete} imported at the click, ${final.counts.imported} when the loop stopped ` +
        `(pending ${final.counts.pending}); panel customers ${c.panel}, duplicated ${c.duplicated}, rows without customer ${c.rowsWithoutCustomer}, customers without row ${c.customersWithoutRow}`,
    )
  })
})
