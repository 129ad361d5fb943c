/**
 * The notify stage's promises, watched from inside the mail port: a row is `sending` only while
 * its mail is in flight (never while it waits its turn), at most SEND_WINDOW at a time; `sent`
 * only after the port confirmed it; one mail per customer whatever the clicks; a crash leaves at
 * most one window `unknown`, which only an explicit resend sends again.
 */
import path from 'node:path'
import { afterEach, describe, expect, it, onTestFinished } from 'vitest'
import type { NotifyResponse } from '@cm/contracts'
import { BufferCustomerEntity } from '../../db/buffer-customer.entity.ts'
import { ImportEntity } from '../../db/import.entity.ts'
import { PasswordTokenEntity } from '../../db/password-token.entity.ts'
import type { MailPort, ModulePorts, OutgoingMail } from '../../ports.ts'
import { makeTempDir, removeTempDir } from '../../testing/temp-dir.ts'
import { TEST_SHOPS } from '../../testing/memory-ports.ts'
import { startTestModule } from '../../testing/test-module.ts'
import { newBufferRow } from '../buffer/buffer.rows.ts'
import { emptyGeneration } from '../fetch/generation.ts'
import { customer } from '../xml/xml.fixtures.ts'
import { CANDIDATE_PAGE, SEND_WINDOW } from './notify.stage.ts'

type T = Awaited<ReturnType<typeof startTestModule>>
const started: T[] = []
afterEach(async () => {
  for (const t of started.splice(0)) await t.close()
})

async function start(overrides: Partial<ModulePorts> = {}, dbName?: string): Promise<T> {
  const t = await startTestModule(overrides, dbName ? { dbName } : {})
  started.push(t)
  return t
}

/** an import whose `imported` customers wait for their mail; `others` are rows in other states */
async function seed(t: T, imported: number, others: Array<{ state: string; notifyState?: string }> = []): Promise<number> {
  const e = t.orm.em.fork()
  const now = new Date()
  const importId = (await e.insert(ImportEntity, {
    platform: '', domain: 'plik.xml', origin: 'upload', shopIds: ['1'], status: 'completed', credentials: null, fetched: 0, total: null,
    checkpoint: null, generation: emptyGeneration(), verification: null, filePath: null, fileSize: 0, fileCustomers: null,
    createdBy: 'test', leaseOwner: null, leaseUntil: null, createdAt: now, updatedAt: now,
  })) as number
  const rows = [...Array.from({ length: imported }, () => ({ state: 'imported', notifyState: 'none' })), ...others].map((r, i) => ({
    ...newBufferRow(importId, i, customer(`${importId}-${i}`, { email: `klient${importId}-${i}@example.pl`, firstName: 'Łucja' }), now),
    state: r.state,
    notifyState: r.notifyState ?? 'none',
    panelCustomerId: r.state === 'imported' ? `p${i}` : null,
  }))
  await e.insertMany(BufferCustomerEntity, rows)
  return importId
}

const rowsOf = (t: T, importId: number) => t.orm.em.fork().find(BufferCustomerEntity, { importId }, { orderBy: { id: 'asc' } })
const notifyAll = (t: T, id: number) => t.json<NotifyResponse>('operator', `/imports/${id}/imported/notify`, { method: 'POST', body: JSON.stringify({ all: true }) })
const notifyIds = (t: T, id: number, ids: number[], resend?: boolean) =>
  t.json<NotifyResponse>('operator', `/imports/${id}/imported/notify`, { method: 'POST', body: JSON.stringify({ ids: ids.map(String), ...(resend ? { resend } : {}) }) })
const notified = (t: T, id: number) => t.json<{ total: number }>('operator', `/imports/${id}/imported?notified=true&limit=1`).then((r) => r.body.total)

/**
 * A mail port that answers a little later (so mails overlap) and, at every send, reads which rows
 * are `sending`: each must belong to a mail handed to the port and not yet recorded.
 */
function watchingPort(getT: () => T, importId: () => number) {
  const mails: OutgoingMail[] = []
  const handed = new Set<string>()
  const problems: string[] = []
  let maxSending = 0
  const port: MailPort = {
    async send(m) {
      handed.add(m.to)
      const rows = await rowsOf(getT(), importId())
      const sending = rows.filter((r) => r.notifyState === 'sending')
      maxSending = Math.max(maxSending, sending.length)
      for (const r of sending) if (!handed.has(r.emailLower)) problems.push(`${r.emailLower} is sending but its mail was not handed to the port`)
      const mine = rows.find((r) => r.emailLower === m.to.toLowerCase())
      if (mine?.notifyState !== 'sending') problems.push(`${m.to} is being sent while ${mine?.notifyState}`)
      await new Promise((r) => setTimeout(r, 2))
      mails.push(m)
      return { messageId: `<${mails.length}@test>` }
    },
  }
  return { port, mails, problems, maxSending: () => maxSending }
}

describe('notify', () => {
  it('notify all sends one mail per imported customer, in windows: only mails in flight are sending, sent once confirmed', async () => {
    let t!: T
    let importId = 0
    const w = watchingPort(() => t, () => importId)
    let templateReads = 0
    let shopReads = 0
    t = await start({
      mail: w.port,
      shops: { list: async () => (shopReads++, TEST_SHOPS) },
      templates: { get: async () => (templateReads++, null), put: async () => ({ subject: '', body: '', updatedAt: '' }) },
    })
    const N = 3 * SEND_WINDOW + 2
    importId = await seed(t, N, [{ state: 'pending' }, { state: 'failed' }, { state: 'imported', notifyState: 'sent' }])
    const r = await notifyAll(t, importId)
    expect(r.status).toBe(202)
    expect(r.body.queued).toBe(N)
    await t.waitFor(() => notified(t, importId), (n) => n === N + 1)

    expect(w.problems).toEqual([])
    expect(w.maxSending()).toBeGreaterThan(1)
    expect(w.maxSending()).toBeLessThanOrEqual(SEND_WINDOW)
    expect(w.mails.map((m) => m.to).sort()).toEqual(Array.from({ length: N }, (_, i) => `klient${importId}-${i}@example.pl`).sort())
    expect(w.mails[0]).toMatchObject({ shopId: '1', templateId: 'customer-imported', subject: expect.stringContaining('Sklep główny'), text: expect.stringContaining('Łucja') })
    // read once per run, not once per mail
    expect(templateReads).toBe(1)
    expect(shopReads).toBe(1)

    const rows = await rowsOf(t, importId)
    expect(rows.filter((x) => x.state === 'imported').map((x) => x.notifyState)).toEqual(Array(N + 1).fill('sent'))
    expect(rows.filter((x) => x.state === 'imported' && x.notifiedAt === null)).toHaveLength(1)
    expect(rows.filter((x) => x.state !== 'imported').map((x) => x.notifyState)).toEqual(['none', 'none'])
    expect(rows.every((x) => x.claimToken === null)).toBe(true)
    // one unused link per mailed customer, stored as a hash only
    const tokens = await t.orm.em.fork().find(PasswordTokenEntity, { usedAt: null })
    expect(tokens).toHaveLength(N)
    const link = new URL(w.mails[0]!.text.match(/http\S+/)![0]).searchParams.get('token')!
    expect(tokens.map((x) => x.tokenHash)).not.toContain(link)
    expect(await t.module.redeemPasswordToken(link, 'nowe-haslo-123')).toMatchObject({ ok: true })
  })

  it('notify all goes through every page of candidates, one mail each', async () => {
    const t = await start()
    const N = CANDIDATE_PAGE + 2 * SEND_WINDOW + 3
    const importId = await seed(t, N)
    await notifyAll(t, importId)
    await t.waitFor(() => notified(t, importId), (n) => n === N, 60_000)
    const to = t.panel.mails.map((m) => m.to)
    expect(new Set(to).size).toBe(N)
    expect(to).toHaveLength(N)
  })

  it('double clicks, a second notify all and clicks by ids at once still send each customer one mail', async () => {
    let t!: T
    let importId = 0
    const w = watchingPort(() => t, () => importId)
    t = await start({ mail: w.port })
    const N = 5 * SEND_WINDOW + 1
    importId = await seed(t, N)
    const ids = (await rowsOf(t, importId)).map((r) => r.id)
    const clicks = await Promise.all([notifyAll(t, importId), notifyIds(t, importId, ids), notifyIds(t, importId, ids.slice(0, 7)), notifyAll(t, importId), notifyIds(t, importId, ids)])
    await t.waitFor(() => notified(t, importId), (n) => n === N)
    const byIds = clicks.filter((c) => c.status === 200)
    expect(byIds.reduce((s, c) => s + c.body.sent, 0)).toBeLessThanOrEqual(N)
    const perCustomer = new Map<string, number>()
    for (const m of w.mails) perCustomer.set(m.to, (perCustomer.get(m.to) ?? 0) + 1)
    expect(perCustomer.size).toBe(N)
    expect([...perCustomer.values()].every((n) => n === 1)).toBe(true)
    expect(w.problems).toEqual([])
    // a plain click afterwards: nothing more, every row says it was informed
    const again = await notifyIds(t, importId, ids)
    expect(again.body).toMatchObject({ sent: 0, failed: 0 })
    expect(again.body.results.every((r) => r.alreadyNotified)).toBe(true)
    expect(w.mails).toHaveLength(N)
  })

  it('a refused mail fails alone with its reason; the next notify all sends it, the others are not sent again', async () => {
    const t = await start()
    const importId = await seed(t, SEND_WINDOW + 2)
    const rows = await rowsOf(t, importId)
    t.panel.failMailTo.add(rows[1]!.emailLower)
    const r = await notifyIds(t, importId, rows.map((x) => x.id))
    expect(r.body).toMatchObject({ sent: rows.length - 1, failed: 1 })
    expect(r.body.results.find((x) => x.id === String(rows[1]!.id))).toMatchObject({ sent: false, error: 'SMTP 550 mailbox unavailable' })
    const failed = (await rowsOf(t, importId))[1]!
    expect(failed).toMatchObject({ notifyState: 'failed', notifyError: 'SMTP 550 mailbox unavailable', claimToken: null })

    t.panel.failMailTo.clear()
    await notifyAll(t, importId)
    await t.waitFor(() => notified(t, importId), (n) => n === rows.length)
    expect(t.panel.mails.map((m) => m.to).sort()).toEqual(rows.map((x) => x.emailLower).sort())
  })

  it('a crash with a window in flight leaves only that window unknown; plain clicks skip it, resend sends it', async () => {
    const dir = makeTempDir('cm-notify-')
    onTestFinished(() => removeTempDir(dir))
    const dbName = path.join(dir, 'db.sqlite')
    const hung: OutgoingMail[] = []
    let released = 0
    // the first two windows go out; the third never comes back (the process dies with it in flight)
    const dying = await start({
      mail: {
        send: (m) => (released < 2 * SEND_WINDOW ? (released++, Promise.resolve({ messageId: `<${released}@t>` })) : (hung.push(m), new Promise(() => {}))),
      },
    }, dbName)
    const N = 4 * SEND_WINDOW
    const importId = await seed(dying, N)
    await notifyAll(dying, importId)
    await dying.waitFor(async () => hung.length, (n) => n === SEND_WINDOW)
    const before = await rowsOf(dying, importId)
    expect(before.filter((r) => r.notifyState === 'sent')).toHaveLength(2 * SEND_WINDOW)
    const inFlight = before.filter((r) => r.notifyState === 'sending')
    expect(inFlight.map((r) => r.emailLower).sort()).toEqual(hung.map((m) => m.to).sort())
    // nothing waiting its turn is claimed
    expect(before.filter((r) => r.notifyState === 'none')).toHaveLength(N - 3 * SEND_WINDOW)
    started.splice(started.indexOf(dying), 1)
    await dying.module.stop()
    await dying.orm.close()
    removeTempDir(dying.ports.storage.dir)

    const t = await start({}, dbName)
    const after = await rowsOf(t, importId)
    expect(after.filter((r) => r.notifyState === 'unknown').map((r) => r.id)).toEqual(inFlight.map((r) => r.id))
    await notifyAll(t, importId)
    await t.waitFor(() => notified(t, importId), (n) => n === N - SEND_WINDOW)
    const plain = await notifyIds(t, importId, inFlight.map((r) => r.id))
    expect(plain.body.sent).toBe(0)
    for (const r of plain.body.results) expect(r.error).toMatch(/interrupted/)
    expect(t.panel.mails.map((m) => m.to)).not.toContain(inFlight[0]!.emailLower)
    const resent = await notifyIds(t, importId, [inFlight[0]!.id], true)
    expect(resent.body.sent).toBe(1)
    const mails = t.panel.mails.filter((m) => m.to === inFlight[0]!.emailLower)
    expect(mails).toHaveLength(1)
    // the new link replaces the one of the mail in doubt
    const tokenOf = (m: OutgoingMail) => new URL(m.text.match(/http\S+/)![0]).searchParams.get('token')!
    const old = hung.find((m) => m.to === inFlight[0]!.emailLower)!
    expect(await t.module.redeemPasswordToken(tokenOf(old), 'stare-haslo-1')).toEqual({ ok: false, reason: 'used' })
    expect(await t.module.redeemPasswordToken(tokenOf(mails[0]!), 'nowe-haslo-1')).toMatchObject({ ok: true })
  })
})
