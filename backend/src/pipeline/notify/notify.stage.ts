/**
 * Step 9: the mail about the new account. A row is marked `sending` just before its mail goes
 * out (not while it waits its turn) and `sent` only after the mail port confirmed it; a crash
 * in between leaves `unknown`, which is never re-sent without an explicit resend.
 */
import { randomUUID } from 'node:crypto'
import pLimit from 'p-limit'
import type { NotifyResponse } from '@cm/contracts'
import { TEMPLATE_ID } from '@cm/contracts'
import type { ModuleContext } from '../../context.ts'
import { em } from '../../context.ts'
import { BufferCustomerEntity, type BufferCustomerRow } from '../../db/buffer-customer.entity.ts'
import type { ImportRow } from '../../db/import.entity.ts'
import type { OutgoingMail } from '../../ports.ts'
import { effectiveCustomer } from '../buffer/buffer.rows.ts'
import { issueToken } from './password-token.ts'
import { loadTemplate, renderTemplate } from './template.render.ts'

type NotifyResult = NotifyResponse['results'][number]
export const NOTIFY_BATCH = 100
const SEND_CONCURRENCY = 4

/**
 * Claims one row right before its mail goes out (a conditional update: a double click or a
 * second request cannot claim it too). Claiming a whole batch up front would leave every row
 * still waiting in the queue `sending` too, and a crash would turn them all into `unknown`,
 * never sent by a plain "notify all" although no mail of theirs ever left.
 */
async function claimOne(ctx: ModuleContext, importId: number, id: number, resend: boolean): Promise<BufferCustomerRow | null> {
  const e = em(ctx)
  const token = randomUUID()
  const from = resend ? ['none', 'failed', 'sent', 'unknown'] : ['none', 'failed']
  const n = await e.nativeUpdate(
    BufferCustomerEntity,
    { importId, id, state: 'imported', notifyState: { $in: from } },
    { notifyState: 'sending', claimToken: token },
  )
  return n > 0 ? e.findOne(BufferCustomerEntity, { id, claimToken: token, notifyState: 'sending' }) : null
}

/** The mail of one customer; the notify stage and the preview render it the same way. */
export async function renderMail(ctx: ModuleContext, imp: ImportRow, row: BufferCustomerRow, shopName: string, link: { token: string; expiresAt: Date }): Promise<OutgoingMail> {
  const shopId = imp.shopIds[0]!
  const c = effectiveCustomer(row.data, row.edit)
  const billing = c.addresses.find((a) => a.isDefaultBilling)
  const t = await loadTemplate(ctx, shopId)
  const vars = {
    firstName: c.firstName || billing?.firstName || '',
    lastName: c.lastName || billing?.lastName || '',
    login: row.login,
    email: c.email.trim(),
    shopName,
    setPasswordLink: ctx.ports.customers.setPasswordUrl(shopId, link.token),
    linkExpiresAt: link.expiresAt.toLocaleString('pl-PL', { timeZone: 'Europe/Warsaw' }),
  }
  return { shopId, templateId: TEMPLATE_ID, to: vars.email, subject: renderTemplate(t.subject, vars), text: renderTemplate(t.body, vars) }
}

export async function shopNameOf(ctx: ModuleContext, imp: ImportRow): Promise<string> {
  return (await ctx.ports.shops.list()).find((s) => s.id === imp.shopIds[0])?.name ?? ''
}

async function sendOne(ctx: ModuleContext, imp: ImportRow, row: BufferCustomerRow, shopName: string): Promise<NotifyResult> {
  const e = em(ctx)
  try {
    const link = await issueToken(ctx, e, row.id, row.panelCustomerId!)
    await ctx.ports.mail.send(await renderMail(ctx, imp, row, shopName, link))
    await e.nativeUpdate(BufferCustomerEntity, { id: row.id }, { notifyState: 'sent', notifiedAt: ctx.clock.now(), notifyError: null, claimToken: null })
    return { id: String(row.id), sent: true, alreadyNotified: false }
  } catch (err) {
    const message = (err instanceof Error ? err.message : String(err)).slice(0, 480)
    await e.nativeUpdate(BufferCustomerEntity, { id: row.id }, { notifyState: 'failed', notifyError: message, claimToken: null })
    return { id: String(row.id), sent: false, alreadyNotified: false, error: message }
  }
}

export async function notifyByIds(ctx: ModuleContext, imp: ImportRow, ids: number[], resend: boolean): Promise<NotifyResult[]> {
  const shopName = await shopNameOf(ctx, imp)
  const limit = pLimit(SEND_CONCURRENCY)
  // at most SEND_CONCURRENCY rows of this call are `sending` at any moment: only those can be in doubt after a crash
  const sent = await Promise.all(
    [...new Set(ids)].map((id) =>
      limit(async () => {
        if (ctx.stopping) return null
        const row = await claimOne(ctx, imp.id, id, resend)
        return row ? sendOne(ctx, imp, row, shopName) : null
      }),
    ),
  )
  const results = sent.filter((r): r is NotifyResult => r !== null)
  const answered = new Set(results.map((r) => r.id))
  const rest = await em(ctx).find(BufferCustomerEntity, { importId: imp.id, id: { $in: ids.filter((i) => !answered.has(String(i))) } })
  for (const r of rest) {
    // a mail in doubt after a crash says why a plain click did not send it
    const why = r.state !== 'imported' ? 'not imported' : r.notifyState === 'unknown' ? (r.notifyError ?? 'interrupted while sending; resend explicitly if needed') : undefined
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
    let after = 0
    try {
      while (!ctx.stopping) {
        const page = await em(ctx).find(BufferCustomerEntity, { ...where, id: { $gt: after } }, { fields: ['id'], orderBy: { id: 'asc' }, limit: NOTIFY_BATCH })
        if (page.length === 0) break
        after = page[page.length - 1]!.id
        await notifyByIds(ctx, imp, page.map((r) => r.id), false)
      }
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
  await em(ctx).nativeUpdate(
    BufferCustomerEntity,
    { notifyState: 'sending' },
    { notifyState: 'unknown', notifyError: 'interrupted while sending; resend explicitly if needed', claimToken: null },
  )
}
