/** Step 9: Klienci zaimportowani and Poinformowano klienta o założeniu konta. */
import { Hono } from 'hono'
import { ImportedQuery, NotifyRequest, PERMISSIONS, type ImportedCustomer, type MailPreview, type NotifyResponse } from '@cm/contracts'
import type { ModuleContext } from '../context.ts'
import { em } from '../context.ts'
import { BufferCustomerEntity, type BufferCustomerRow } from '../db/buffer-customer.entity.ts'
import { searchTextQuery } from '../pipeline/buffer/buffer.query.ts'
import { listPage, rowsByIds } from '../pipeline/buffer/buffer.list.ts'
import { effectiveCustomer } from '../pipeline/buffer/buffer.rows.ts'
import { getImport } from '../pipeline/import-job.service.ts'
import { notifyAll, notifyByIds, renderMail, shopNameOf } from '../pipeline/notify/notify.stage.ts'
import { notFound } from './http-error.ts'
import { type Env, parseId, requirePermission, valid } from './env.ts'

function toImported(r: BufferCustomerRow): ImportedCustomer {
  const c = effectiveCustomer(r.data, r.edit)
  const billing = c.addresses.find((a) => a.isDefaultBilling)
  return {
    id: String(r.id),
    sourceId: r.sourceId,
    panelCustomerId: r.panelCustomerId ?? '',
    login: r.login,
    email: c.email.trim(),
    firstName: c.firstName || billing?.firstName || '',
    lastName: c.lastName || billing?.lastName || '',
    importedAt: (r.importedAt ?? r.updatedAt).toISOString(),
    notified: r.notifyState === 'sent',
    notifiedAt: r.notifiedAt ? r.notifiedAt.toISOString() : null,
    notifyError: r.notifyState === 'failed' || r.notifyState === 'unknown' ? (r.notifyError ?? null) : null,
  }
}

export const importedRoutes = (ctx: ModuleContext) =>
  new Hono<Env>()
    .use('/imports/:id/imported/*', requirePermission(PERMISSIONS.importCustomers))
    .use('/imports/:id/imported', requirePermission(PERMISSIONS.importCustomers))
    .get('/imports/:id/imported', valid('query', ImportedQuery), async (c) => {
      const q = c.req.valid('query')
      const imp = await getImport(ctx, parseId(c.req.param('id')))
      const e = em(ctx)
      const page = await listPage(e, { importId: imp.id, states: ['imported'], notified: q.notified, text: searchTextQuery(q.q), cursor: q.cursor, limit: q.limit })
      const rows = await rowsByIds(e, page.ids)
      return c.json({ items: rows.map(toImported), nextCursor: page.nextCursor, total: page.total, ...(page.totalCapped ? { totalCapped: true } : {}) }, 200)
    })
    .post('/imports/:id/imported/notify', valid('json', NotifyRequest), async (c) => {
      const imp = await getImport(ctx, parseId(c.req.param('id')))
      const body = c.req.valid('json')
      if ('all' in body) {
        const queued = await notifyAll(ctx, imp)
        return c.json({ results: [], sent: 0, failed: 0, queued } satisfies NotifyResponse, 202)
      }
      const results = await notifyByIds(ctx, imp, body.ids.map(parseId), body.resend ?? false)
      const res: NotifyResponse = { results, sent: results.filter((r) => r.sent).length, failed: results.filter((r) => !r.sent && !r.alreadyNotified).length, queued: 0 }
      return c.json(res, 200)
    })
    .get('/imports/:id/imported/:customerId/preview', async (c) => {
      const imp = await getImport(ctx, parseId(c.req.param('id')))
      const row = await em(ctx).findOne(BufferCustomerEntity, { id: parseId(c.req.param('customerId')), importId: imp.id, state: 'imported' })
      if (!row) throw notFound()
      // a sample link: a real token is issued only when the mail is sent
      const mail = await renderMail(ctx, imp, row, await shopNameOf(ctx, imp), { token: 'PRZYKLADOWY-TOKEN', expiresAt: new Date(ctx.clock.now().getTime() + ctx.settings.passwordLinkTtlHours * 3_600_000) })
      return c.json({ to: mail.to, subject: mail.subject, text: mail.text, shopId: mail.shopId } satisfies MailPreview, 200)
    })
