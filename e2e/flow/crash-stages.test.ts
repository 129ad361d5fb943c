/**
 * The host process dies (SIGKILL: no stop hook, no flush; its bree workers die with it) in the
 * middle of verify, of "import all" and of "notify all", and a new process is started on the
 * same DATA_DIR (same instance id, so the dead process's leases are its own). Each stage must
 * resume or roll back, and at the end every count must match: no customer missing or twice in
 * the buffer or in the panel, no mail sent twice.
 *
 * The mock host runs as a real child process (`node --import tsx e2e/mock-host/main.ts`), one
 * after another on one DATA_DIR: host-1 dies in verify, host-2 recovers it and dies in import
 * all, host-3 recovers that and dies in notify all, host-4 recovers the notify. The files are
 * uploaded (POST /imports/upload), written with the writer's own renderer. Two knobs of the
 * mock host make the panel slow in the windows that matter: PANEL_CREATE_DELAY_MS (a batch of
 * customers is committed in the panel, the module not told yet) and MAIL_DELAY_MS (a mail is
 * in the outbox, the module not told yet).
 */
import type { ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { BufferList, ImportCustomersResponse, ImportDetails, ImportedList, NotifyResponse, type CanonicalCustomer } from '@cm/contracts'
import { address, customer } from '../../backend/src/pipeline/xml/xml.fixtures.ts'
import { SEND_WINDOW } from '../../backend/src/pipeline/notify/notify.stage.ts'
import { reliabilityCase } from '../../backend/src/testing/reliability.ts'
import { PanelClient } from './panel-client.ts'
import { freePort } from './free-port.ts'
import { HostProcesses, allPages, kill, outboxByRecipient, panelCustomersOf, readDb, uploadCustomers } from './host-process.ts'
import { bufferLosses, bufferSourceIds, panelLosses } from './loss-figures.ts'

/** big enough that verification takes a second or more */
const N_VERIFY = 20_000
/** 6 batches of IMPORT_BATCH (500), each answered PANEL_CREATE_DELAY_MS late: "import all" runs for seconds */
const N_IMPORT = 3_000
const N_NOTIFY = 120
/** every n-th customer of the import scenario has a postcode the panel refuses */
const BAD_POSTCODE_EVERY = 25
const SKIPPED = 20
const SkipResponse = z.object({ skipped: z.number() })

const dataDir = mkdtempSync(path.join(tmpdir(), 'cm-crash-stages-'))
let hosts: HostProcesses
let baseUrl = ''
let current: ChildProcess | null = null

function people(prefix: string, n: number, bad = (_i: number) => false): CanonicalCustomer[] {
  return Array.from({ length: n }, (_, i) =>
    customer(`${prefix}${i}`, {
      email: `${prefix}-${i}@crash.example`,
      firstName: 'Jan',
      lastName: `Testowy${i}`,
      addresses: [address(bad(i) ? { postcode: 'ABCDE' } : {})],
    }),
  )
}

async function signedIn(): Promise<PanelClient> {
  const client = new PanelClient({ baseUrl })
  await client.login('operator', 'operator')
  return client
}

async function restart(label: string): Promise<PanelClient> {
  current = hosts.start(label)
  await hosts.healthy(current)
  return signedIn()
}

async function killCurrent(): Promise<void> {
  const child = current!
  await kill(child)
  expect(child.signalCode).toBe('SIGKILL')
  current = null
}

/** polls the SQLite file (read-only) until `ready`, fast: the moment to kill is short */
async function waitInDb<T>(read: () => T, ready: (v: T) => boolean, timeoutMs: number): Promise<T> {
  const end = Date.now() + timeoutMs
  for (;;) {
    const v = read()
    if (ready(v)) return v
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms: ${JSON.stringify(v)}\n${hosts.output.slice(-20).join('\n')}`)
    await new Promise((r) => setTimeout(r, 15))
  }
}

const details = (client: PanelClient, id: string) => client.call('GET', `/imports/${id}`, ImportDetails)

type Count = { n: number }
const rowStates = (id: string) =>
  readDb(dataDir, (db) => {
    const out: Record<string, number> = {}
    for (const r of db.prepare('select state, count(*) as n from xcm_buffer_customer where import_id = ? group by state').all(Number(id)) as Array<{ state: string; n: number }>) out[r.state] = r.n
    return out
  })
const notifyStates = (id: string) =>
  readDb(dataDir, (db) => {
    const out: Record<string, number> = {}
    for (const r of db.prepare('select notify_state as s, count(*) as n from xcm_buffer_customer where import_id = ? group by notify_state').all(Number(id)) as Array<{ s: string; n: number }>) out[r.s] = r.n
    return out
  })

/** rows of a batch in flight whose panel customer is already committed */
const createdNotRecorded = (id: string) =>
  readDb(dataDir, (db) =>
    (db.prepare(
      "select count(*) as n from xcm_buffer_customer b join panel_customer p on p.external_ref = 'cm:' || b.import_id || ':' || b.source_id where b.import_id = ? and b.state = 'importing'",
    ).get(Number(id)) as Count).n,
  )
/** what the SMTP sink has stored (DATA_DIR/outbox.jsonl), recipients lower-cased */
function outboxFile(): Set<string> {
  let text = ''
  try {
    text = readFileSync(path.join(dataDir, 'outbox.jsonl'), 'utf8')
  } catch {
    return new Set()
  }
  const out = new Set<string>()
  for (const line of text.split('\n')) {
    try {
      for (const to of (JSON.parse(line) as { to: string[] }).to) out.add(to.toLowerCase())
    } catch {
      // a line being written
    }
  }
  return out
}
/** rows still `sending` whose mail is already in the outbox */
const sentNotRecorded = (id: string) => {
  const sending = readDb(dataDir, (db) => db.prepare("select email_lower as e from xcm_buffer_customer where import_id = ? and notify_state = 'sending'").all(Number(id)) as Array<{ e: string }>)
  if (sending.length === 0) return 0
  const out = outboxFile()
  return sending.filter((r) => out.has(r.e)).length
}

beforeAll(async () => {
  const port = await freePort()
  baseUrl = `http://127.0.0.1:${port}`
  hosts = new HostProcesses(baseUrl, {
    PORT: String(port),
    DATA_DIR: dataDir,
    SMTP_PORT: String(await freePort()),
    DEMO_SHOPER_PORT: String(await freePort()),
    START_DEMO_SHOPER: 'false',
    DEMO_CUSTOMERS: '100',
    // windows wide enough that the kill, a few ms after the test saw the window open, still lands in it
    PANEL_CREATE_DELAY_MS: '300',
    MAIL_DELAY_MS: '250',
  })
})

afterAll(async () => {
  await hosts?.killAll()
  rmSync(dataDir, { recursive: true, force: true })
})

describe('SIGKILL in each stage, then a restart on the same DATA_DIR', () => {
  it('verify: killed with part of the buffer loaded; the restarted host verifies again and buffers every customer exactly once', async () => {
    const rc = reliabilityCase('process', `SIGKILL during verify (${N_VERIFY} customers), restart re-verifies`)
    let client = await restart('host-1')
    const up = await uploadCustomers(baseUrl, people('v', N_VERIFY))
    const id = up.id
    // counted in the SQLite file when the test ends, passed or failed
    rc.atEnd(() => bufferLosses(dataDir, id, N_VERIFY))
    const clicked = Date.now()
    await client.call('POST', `/imports/${id}/verify`, ImportDetails)
    const loaded = await waitInDb(
      () => readDb(dataDir, (db) => (db.prepare('select count(*) as n from xcm_buffer_customer where import_id = ?').get(Number(id)) as Count).n),
      (n) => n >= 2_000,
      30_000,
    )
    await killCurrent()
    rc.tried(1)
    const killedAfter = Date.now() - clicked
    const atKill = readDb(dataDir, (db) => ({
      status: (db.prepare('select status from xcm_import where id = ?').get(Number(id)) as { status: string }).status,
      rows: (db.prepare('select count(*) as n from xcm_buffer_customer where import_id = ?').get(Number(id)) as Count).n,
    }))
    // killed in the middle: some batches in, not all, status still verifying
    expect(atKill.status).toBe('verifying')
    expect(atKill.rows).toBeGreaterThanOrEqual(loaded)
    expect(atKill.rows).toBeLessThan(N_VERIFY)

    const restarted = Date.now()
    client = await restart('host-2')
    const done = await client.until(() => details(client, id), (d) => d.status !== 'verifying', 60_000)
    const tookAfterRestart = Date.now() - restarted
    expect(done.status).toBe('buffered')
    expect(done.verification).toMatchObject({ ok: true, customers: N_VERIFY })
    expect(done.counts).toMatchObject({ pending: N_VERIFY, failed: 0, imported: 0 })
    expect((await client.call('GET', `/imports/${id}/buffer?limit=1`, BufferList)).total).toBe(N_VERIFY)
    const inDb = readDb(dataDir, (db) =>
      db.prepare('select count(*) as rows, count(distinct source_id) as ids, min(position) as lo, max(position) as hi from xcm_buffer_customer where import_id = ?').get(Number(id)),
    ) as { rows: number; ids: number; lo: number; hi: number }
    expect(inDb).toEqual({ rows: N_VERIFY, ids: N_VERIFY, lo: 0, hi: N_VERIFY - 1 })

    const lost = N_VERIFY - inDb.ids
    const duplicated = inDb.rows - inDb.ids
    console.info(
      `[crash-stages] verify: killed ${killedAfter} ms after the click with ${atKill.rows}/${N_VERIFY} rows loaded; ` +
        `restarted host buffered ${inDb.rows} rows (${inDb.ids} distinct sourceIds) ${tookAfterRestart} ms after the restart; lost ${lost}, duplicated ${duplicated}`,
    )
  }, 60_000)

  it('import all: killed with batches in flight; rows stuck in importing are recovered, a second import all finishes, every customer once', async () => {
    const rc = reliabilityCase('process', `SIGKILL during import all (${N_IMPORT} customers), restart + import all again`)
    let client = await signedIn()
    const bad = (i: number) => i % BAD_POSTCODE_EVERY === 7
    const everyone = people('imp', N_IMPORT, bad)
    const up = await uploadCustomers(baseUrl, everyone)
    const id = up.id
    // every customer of the file not failed or skipped must be in the panel, once
    rc.atEnd(() => {
      const left = new Set(bufferSourceIds(dataDir, id, ['failed', 'skipped']))
      return panelLosses(dataDir, id, everyone.map((p) => p.sourceId).filter((s) => !left.has(s)))
    })
    await client.call('POST', `/imports/${id}/verify`, ImportDetails)
    const buffered = await client.until(() => details(client, id), (d) => d.status !== 'verifying', 30_000)
    expect(buffered.status).toBe('buffered')
    // Pomiń for a few, so the final sum has all three outcomes
    const first = await client.call('GET', `/imports/${id}/buffer?state=pending&limit=${SKIPPED}`, BufferList)
    await client.call('POST', `/imports/${id}/buffer/skip`, SkipResponse, { ids: first.items.map((r) => r.id) })

    const all = await client.call('POST', `/imports/${id}/buffer/import`, ImportCustomersResponse, { all: true })
    expect(all.queued).toBe(N_IMPORT - SKIPPED)
    // the dangerous moment: a batch the panel has committed and the module has not recorded yet
    const mid = await waitInDb(
      () => ({ states: rowStates(id), createdNotRecorded: createdNotRecorded(id) }),
      (s) => (s.states.imported ?? 0) >= 600 && s.createdNotRecorded > 0,
      30_000,
    )
    await killCurrent()
    rc.tried(1)

    // what the dead process left: rows claimed by a batch; some of them the panel already has
    const stuck = readDb(dataDir, (db) => {
      const rows = db.prepare("select source_id as s from xcm_buffer_customer where import_id = ? and state = 'importing'").all(Number(id)) as Array<{ s: string }>
      const inPanel = rows.filter((r) => db.prepare('select 1 from panel_customer where external_ref = ?').get(`cm:${id}:${r.s}`)).length
      return { importing: rows.length, inPanel, states: rowStates(id) }
    })
    expect(stuck.importing, JSON.stringify(mid)).toBeGreaterThan(0)
    expect(stuck.inPanel, `seen before the kill: ${JSON.stringify(mid)}`).toBeGreaterThan(0)

    client = await restart('host-3')
    // start() recovered every claim before the host answered
    const recovered = rowStates(id)
    expect(recovered.importing ?? 0).toBe(0)
    expect(recovered.imported ?? 0).toBe((stuck.states.imported ?? 0) + stuck.inPanel)
    const afterRestart = await details(client, id)
    expect(afterRestart.status).toBe('buffered')

    await client.call('POST', `/imports/${id}/buffer/import`, ImportCustomersResponse, { all: true })
    const done = await client.until(() => details(client, id), (d) => d.counts.pending === 0, 45_000)
    // failed ones (the bad postcodes) stay open to fix: buffered, not completed
    expect(done.status).toBe('buffered')
    const { imported, failed, skipped } = done.counts
    expect(skipped).toBe(SKIPPED)
    // the skipped ones are the first SKIPPED of the file
    expect(failed).toBe(Array.from({ length: N_IMPORT }, (_, i) => i).filter((i) => i >= SKIPPED && bad(i)).length)
    expect(imported + failed + skipped).toBe(N_IMPORT)

    const panel = await panelCustomersOf(baseUrl, id)
    const refs = new Set(panel.map((c) => c.externalRef))
    const rows = await allPages((cursor) => client.call('GET', `/imports/${id}/imported?limit=500${cursor ? `&cursor=${cursor}` : ''}`, ImportedList))
    const rowRefs = new Set(rows.map((r) => `cm:${id}:${r.sourceId}`))
    const panelById = new Map(panel.map((c) => [c.id, c.externalRef]))
    const missing = rows.filter((r) => panelById.get(r.panelCustomerId) !== `cm:${id}:${r.sourceId}`).length
    const orphans = panel.filter((c) => !rowRefs.has(c.externalRef!)).length
    expect(rows.length).toBe(imported)
    expect(panel.length).toBe(imported)
    expect(refs.size).toBe(panel.length)
    expect(missing).toBe(0)
    expect(orphans).toBe(0)

    const lost = N_IMPORT - (imported + failed + skipped) + missing
    const duplicated = panel.length - refs.size + orphans
    console.info(
      `[crash-stages] import all: killed at ${JSON.stringify(mid)}; ${stuck.importing} rows stuck in importing, ` +
        `${stuck.inPanel} of them already created in the panel (recovered as imported), the rest back to pending; ` +
        `final imported ${imported} + failed ${failed} + skipped ${skipped} = ${N_IMPORT}; panel customers cm:${id}:* ${panel.length} (distinct ${refs.size}); lost ${lost}, duplicated ${duplicated}`,
    )
  }, 60_000)

  it('notify all: killed with mails in flight; they show as not informed with a reason, a plain notify all does not resend them, only resend:true does', async () => {
    const rc = reliabilityCase('process', `SIGKILL during notify all (${N_NOTIFY} customers), restart + notify all again`)
    let client = await signedIn()
    const up = await uploadCustomers(baseUrl, people('ntf', N_NOTIFY))
    const id = up.id
    await client.call('POST', `/imports/${id}/verify`, ImportDetails)
    await client.until(() => details(client, id), (d) => d.status !== 'verifying', 30_000)
    await client.call('POST', `/imports/${id}/buffer/import`, ImportCustomersResponse, { all: true })
    const imported = await client.until(() => details(client, id), (d) => d.counts.pending === 0, 30_000)
    expect(imported.counts.imported).toBe(N_NOTIFY)

    await client.call('POST', `/imports/${id}/imported/notify`, NotifyResponse, { all: true })
    // the dangerous moment: a mail in the outbox whose row the module has not marked sent yet
    const mid = await waitInDb(
      () => ({ states: notifyStates(id), sentNotRecorded: sentNotRecorded(id) }),
      (s) => (s.states.sent ?? 0) >= 20 && s.sentNotRecorded > 0,
      30_000,
    )
    await killCurrent()
    rc.tried(1)
    const inFlight = readDb(dataDir, (db) =>
      (db.prepare("select id from xcm_buffer_customer where import_id = ? and notify_state = 'sending'").all(Number(id)) as Array<{ id: number }>).map((r) => String(r.id)),
    )
    expect(inFlight.length, JSON.stringify(mid)).toBeGreaterThan(0)
    // only the mails actually being sent (one window at a time), not the rest of the batch waiting its turn
    expect(inFlight.length, JSON.stringify(mid)).toBeLessThanOrEqual(SEND_WINDOW)

    client = await restart('host-4')
    const emailOf = new Map((await allPages((c) => client.call('GET', `/imports/${id}/imported?limit=500${c ? `&cursor=${c}` : ''}`, ImportedList))).map((r) => [r.id, r.email.toLowerCase()]))
    // the in-flight ones: not informed, with the reason, and nothing else is
    const notInformed = await client.call('GET', `/imports/${id}/imported?notified=false&limit=500`, ImportedList)
    const unknown = notInformed.items.filter((r) => r.notifyError)
    expect(unknown.map((r) => r.id).sort()).toEqual([...inFlight].sort())
    for (const r of unknown) expect(r.notifyError).toMatch(/interrupted/)
    const outboxAtRestart = await outboxByRecipient(baseUrl)
    // the dangerous kind: the mail went out, the module was never told
    const wentOut = unknown.filter((r) => (outboxAtRestart.get(r.email.toLowerCase()) ?? 0) > 0).length
    expect(wentOut, `seen before the kill: ${JSON.stringify(mid)}`).toBeGreaterThan(0)

    await client.call('POST', `/imports/${id}/imported/notify`, NotifyResponse, { all: true })
    await client.until(() => client.call('GET', `/imports/${id}/imported?notified=false&limit=1`, ImportedList), (l) => l.total === inFlight.length, 45_000)
    // a plain click by ids does not resend either
    const plain = await client.call('POST', `/imports/${id}/imported/notify`, NotifyResponse, { ids: inFlight })
    const outbox = await outboxByRecipient(baseUrl)
    const counts = [...emailOf.values()].map((e) => outbox.get(e) ?? 0)
    const twice = counts.filter((n) => n > 1).length
    // counted before this stage's checks (and before the deliberate resend below)
    rc.measure({ mailsSentTwice: twice })
    expect(plain.sent).toBe(0)
    for (const r of plain.results) expect(r.error).toMatch(/interrupted/)
    const informed = await client.call('GET', `/imports/${id}/imported?notified=true&limit=1`, ImportedList)
    expect(twice).toBe(0)
    expect(informed.total).toBe(N_NOTIFY - inFlight.length)
    // every customer marked informed has exactly one mail; the in-flight ones 0 or 1, never resent
    for (const [rowId, email] of emailOf) {
      if (inFlight.includes(rowId)) expect(outbox.get(email) ?? 0).toBe(outboxAtRestart.get(email) ?? 0)
      else expect(outbox.get(email)).toBe(1)
    }

    // an explicit resend is the only way: one mail more, flag set
    const target = inFlight[0]!
    const resent = await client.call('POST', `/imports/${id}/imported/notify`, NotifyResponse, { ids: [target], resend: true })
    expect(resent.sent).toBe(1)
    const after = await outboxByRecipient(baseUrl)
    expect(after.get(emailOf.get(target)!)).toBe((outbox.get(emailOf.get(target)!) ?? 0) + 1)
    expect((await details(client, id)).counts.notified).toBe(N_NOTIFY - inFlight.length + 1)

    console.info(
      `[crash-stages] notify all: killed at ${JSON.stringify(mid)}; ${inFlight.length} in flight -> unknown with a reason ` +
        `(${wentOut} of those mails had in fact gone out); plain notify all sent the rest, resent none of them; ` +
        `informed ${informed.total}, customers with two mails ${twice}; explicit resend:true sent 1`,
    )
    await killCurrent()
  }, 60_000)
})
