/**
 * Step 9: the mail about the new account. Mails go out in small windows: a window's rows are
 * claimed (`sending`) right before all of its mails go out together, and become `sent` (or
 * `failed`) only once the mail port answered for each, in the transaction that claims the next
 * window. A crash leaves at most one window `unknown`, never re-sent without an explicit resend.
 */
import { randomUUID } from 'node:crypto'
import type { NotifyResponse, Template } from '@cm/contracts'
import { TEMPLATE_ID } from '@cm/contracts'
import type { ModuleContext } from '../../context.ts'
import { em } from '../../context.ts'
import { BufferCustomerEntity, type BufferCustomerRow } from '../../db/buffer-customer.entity.ts'
import type { ImportRow } from '../../db/import.entity.ts'
import type { OutgoingMail } from '../../ports.ts'
import { effectiveCustomer } from '../buffer/buffer.rows.ts'
import { notifyTransaction, type MailRow, type NotifyTx } from './notify.sql.ts'
import { issueTokens, type IssuedToken } from './password-token.ts'
import { loadTemplate, renderTemplate } from './template.render.ts'

type NotifyResult = NotifyResponse['results'][number]
/**
 * Mails of one window, all handed to the mail port at once. It is also the in-doubt bound: at
 * most this many rows of a notify call are `sending` at any moment, so a crash can leave at most
 * this many `unknown`. Each window costs one transaction; 8 instead of 4 took ~18% less CPU a mail.
 */
export const SEND_WINDOW = 8
/** ids "notify all" reads per query; each is only a candidate until its window claims it */
export const CANDIDATE_PAGE = 1_000
const INTERRUPTED = 'interrupted while sending; resend explicitly if needed'

/** What every mail of one notify call shares, read once per call instead of once per mail. */
interface NotifyRun {
  imp: ImportRow
  shopName: string
  template: Template
  resend: boolean
}

async function startRun(ctx: ModuleContext, imp: ImportRow, resend: boolean): Promise<NotifyRun> {
  const [shopName, template] = await Promise.all([shopNameOf(ctx, imp), loadTemplate(ctx, imp.shopIds[0]!)])
  return { imp, shopName, template, resend }
}

/** the links of one window share their expiry; one formatter for all (making one per mail cost more than the mail) */
const EXPIRY_FORMAT = new Intl.DateTimeFormat('pl-PL', { timeZone: 'Europe/Warsaw', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' })

function composeMail(ctx: ModuleContext, run: Pick<NotifyRun, 'imp' | 'shopName' | 'template'>, row: MailRow, link: { token: string; expiresAt: Date }): OutgoingMail {
  const shopId = run.imp.shopIds[0]!
  const c = effectiveCustomer(row.data, row.edit)
  const billing = c.addresses.find((a) => a.isDefaultBilling)
  const vars = {
    firstName: c.firstName || billing?.firstName || '',
    lastName: c.lastName || billing?.lastName || '',
    login: row.login,
    email: c.email.trim(),
    shopName: run.shopName,
    setPasswordLink: ctx.ports.customers.setPasswordUrl(shopId, link.token),
    // the same text as toLocaleString('pl-PL', { timeZone: 'Europe/Warsaw' })
    linkExpiresAt: EXPIRY_FORMAT.format(link.expiresAt),
  }
  return { shopId, templateId: TEMPLATE_ID, to: vars.email, subject: renderTemplate(run.template.subject, vars), text: renderTemplate(run.template.body, vars) }
}

/** The mail of one customer; the notify stage and the preview render it the same way. */
export async function renderMail(ctx: ModuleContext, imp: ImportRow, row: BufferCustomerRow, shopName: string, link: { token: string; expiresAt: Date }): Promise<OutgoingMail> {
  const mailRow: MailRow = { id: row.id, data: row.data, edit: row.edit ?? null, login: row.login, panelCustomerId: row.panelCustomerId ?? null }
  return composeMail(ctx, { imp, shopName, template: await loadTemplate(ctx, imp.shopIds[0]!) }, mailRow, link)
}

export async function shopNameOf(ctx: ModuleContext, imp: ImportRow): Promise<string> {
  return (await ctx.ports.shops.list()).find((s) => s.id === imp.shopIds[0])?.name ?? ''
}

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err)).slice(0, 480)

interface Claimed {
  claim: string
  rows: MailRow[]
  links: IssuedToken[]
}
interface Sent {
  claim: string
  outcomes: Array<{ id: number; error: string | null }>
}

/** a window's outcomes: `sent` for the confirmed mails in one statement, `failed` with its reason for each refused one (rare) */
async function record(ctx: ModuleContext, tx: NotifyTx, done: Sent): Promise<void> {
  await tx.markSent(done.claim, done.outcomes.filter((o) => o.error === null).map((o) => o.id), ctx.clock.now())
  for (const o of done.outcomes) if (o.error !== null) await tx.markFailed(done.claim, o.id, o.error)
}

/**
 * One transaction between two windows: records the window that went out, then claims those of
 * `ids` that may be mailed (a conditional update: a double click or a second request cannot
 * claim them too) and issues their links. Nothing is claimed before its mail goes out.
 */
async function recordAndClaim(ctx: ModuleContext, run: NotifyRun, done: Sent | null, ids: number[]): Promise<Claimed> {
  const claim = randomUUID()
  const from = run.resend ? ['none', 'failed', 'sent', 'unknown'] : ['none', 'failed']
  return notifyTransaction(em(ctx), async (tx) => {
    if (done) await record(ctx, tx, done)
    await tx.claim({ importId: run.imp.id, ids, from, claim })
    const rows = ids.length ? await tx.claimed(run.imp.id, claim) : []
    const links = await issueTokens(ctx, tx, rows.map((r) => ({ bufferCustomerId: r.id, panelCustomerId: r.panelCustomerId! })))
    return { claim, rows, links }
  })
}

/** every mail of the window at once; each outcome is the port's answer, nothing is recorded yet */
async function sendClaimed(ctx: ModuleContext, run: NotifyRun, w: Claimed): Promise<Sent> {
  const outcomes = await Promise.all(
    w.rows.map(async (row, i) => {
      try {
        // rendering inside: a customer whose mail cannot be built fails alone, like a refused one
        await ctx.ports.mail.send(composeMail(ctx, run, row, w.links[i]!))
        return { id: row.id, error: null }
      } catch (err) {
        return { id: row.id, error: messageOf(err) }
      }
    }),
  )
  return { claim: w.claim, outcomes }
}

/**
 * Sends window after window (stopping between windows when the module stops). A window's rows
 * are `sending` from its claim until the transaction that claims the next one records them, so
 * at most SEND_WINDOW rows of this call are ever in doubt, and each window costs one commit.
 * `onResult` hears every outcome once it is recorded (notify all keeps none: a million results
 * would be a million objects in memory).
 */
async function sendAll(ctx: ModuleContext, run: NotifyRun, windows: AsyncIterable<number[]> | Iterable<number[]>, onResult: (r: NotifyResult) => void = () => {}): Promise<void> {
  let done: Sent | null = null
  const report = (d: Sent | null) => {
    for (const o of d?.outcomes ?? []) onResult({ id: String(o.id), sent: o.error === null, alreadyNotified: false, ...(o.error !== null ? { error: o.error } : {}) })
  }
  try {
    for await (const ids of windows) {
      if (ctx.stopping) break
      const claimed = await recordAndClaim(ctx, run, done, ids)
      report(done)
      done = claimed.rows.length ? await sendClaimed(ctx, run, claimed) : null
    }
  } finally {
    // the last window's outcomes, also when the loop stops or its source fails
    if (done) {
      const last = done
      await notifyTransaction(em(ctx), (tx) => record(ctx, tx, last))
      report(done)
    }
  }
}

function* windowsOf(ids: number[]): Iterable<number[]> {
  for (let i = 0; i < ids.length; i += SEND_WINDOW) yield ids.slice(i, i + SEND_WINDOW)
}

export async function notifyByIds(ctx: ModuleContext, imp: ImportRow, ids: number[], resend: boolean): Promise<NotifyResult[]> {
  const unique = [...new Set(ids)]
  const results: NotifyResult[] = []
  await sendAll(ctx, await startRun(ctx, imp, resend), windowsOf(unique), (r) => results.push(r))
  const answered = new Set(results.map((r) => r.id))
  const rest = await em(ctx).find(BufferCustomerEntity, { importId: imp.id, id: { $in: unique.filter((i) => !answered.has(String(i))) } })
  for (const r of rest) {
    // a mail in doubt after a crash says why a plain click did not send it
    const why = r.state !== 'imported' ? 'not imported' : r.notifyState === 'unknown' ? (r.notifyError ?? INTERRUPTED) : undefined
    results.push({ id: String(r.id), sent: false, alreadyNotified: r.notifyState === 'sent', ...(why ? { error: why } : {}) })
  }
  return results
}

/** Everyone imported and not informed yet, in the background. */
export async function notifyAll(ctx: ModuleContext, imp: ImportRow): Promise<number> {
  const where = { importId: imp.id, state: 'imported', notifyState: { $in: ['none', 'failed'] } }
  const queued = await em(ctx).count(BufferCustomerEntity, where)
  const key = `notify:${imp.id}`
  // a second click while it runs only reports the queue
  if (ctx.background.has(key)) return queued
  ctx.background.add(key)
  void (async () => {
    try {
      const run = await startRun(ctx, imp, false)
      // candidates page by page; each is only claimed by the window that sends it
      async function* windows() {
        let after = 0
        while (!ctx.stopping) {
          const page = await em(ctx).find(BufferCustomerEntity, { ...where, id: { $gt: after } }, { fields: ['id'], orderBy: { id: 'asc' }, limit: CANDIDATE_PAGE })
          if (page.length === 0) return
          after = page[page.length - 1]!.id
          yield* windowsOf(page.map((r) => r.id))
        }
      }
      await sendAll(ctx, run, windows())
    } catch (err) {
      ctx.settings.log('error', 'notify all stopped', { importId: imp.id, error: String(err) })
    } finally {
      ctx.background.delete(key)
    }
  })()
  return queued
}

/** After a crash: a mail in flight may or may not have gone out. */
export async function recoverSending(ctx: ModuleContext): Promise<void> {
  await em(ctx).nativeUpdate(BufferCustomerEntity, { notifyState: 'sending' }, { notifyState: 'unknown', notifyError: INTERRUPTED, claimToken: null })
}
