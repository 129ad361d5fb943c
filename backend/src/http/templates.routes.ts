/** Mail po zaimportowaniu klientów przez support: anyone importing may read it, only template admins change it. */
import { Hono } from 'hono'
import { PERMISSIONS, TEMPLATE_ID, UpdateTemplateRequest, type TemplateForCaller } from '@cm/contracts'
import type { Caller } from '../ports.ts'
import type { ModuleContext } from '../context.ts'
import { loadTemplate } from '../pipeline/notify/template.render.ts'
import { assertShops } from '../pipeline/import-job.service.ts'
import { type Env, requirePermission, valid } from './env.ts'

async function forCaller(ctx: ModuleContext, shopId: string, caller: Caller): Promise<TemplateForCaller> {
  return { ...(await loadTemplate(ctx, shopId)), editable: caller.permissions.includes(PERMISSIONS.manageTemplates) }
}

export const templatesRoutes = (ctx: ModuleContext) =>
  new Hono<Env>()
    .get('/templates/:shopId/customer-imported', requirePermission(PERMISSIONS.importCustomers, PERMISSIONS.manageTemplates), async (c) => {
      const shopId = c.req.param('shopId')
      await assertShops(ctx, [shopId])
      return c.json(await forCaller(ctx, shopId, c.get('caller')), 200)
    })
    .put('/templates/:shopId/customer-imported', requirePermission(PERMISSIONS.manageTemplates), valid('json', UpdateTemplateRequest), async (c) => {
      const shopId = c.req.param('shopId')
      await assertShops(ctx, [shopId])
      await ctx.ports.templates.put(shopId, TEMPLATE_ID, c.req.valid('json'))
      ctx.settings.log('info', 'template changed', { shopId, by: c.get('caller').adminId })
      return c.json(await forCaller(ctx, shopId, c.get('caller')), 200)
    })
