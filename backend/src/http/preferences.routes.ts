import { Hono } from 'hono'
import { PERMISSIONS, UpdatePreferencesRequest, type Preferences } from '@cm/contracts'
import type { ModuleContext } from '../context.ts'
import { em } from '../context.ts'
import { PreferenceEntity } from '../db/preference.entity.ts'
import { type Env, requirePermission, valid } from './env.ts'

export const preferencesRoutes = (ctx: ModuleContext) =>
  new Hono<Env>()
    .use('/preferences', requirePermission(PERMISSIONS.importCustomers))
    .get('/preferences', async (c) => {
      const row = await em(ctx).findOne(PreferenceEntity, { adminId: c.get('caller').adminId })
      return c.json({ confirmBeforeImport: row?.confirmBeforeImport ?? true } satisfies Preferences, 200)
    })
    .put('/preferences', valid('json', UpdatePreferencesRequest), async (c) => {
      const body = c.req.valid('json')
      const e = em(ctx)
      await e.upsert(PreferenceEntity, { adminId: c.get('caller').adminId, confirmBeforeImport: body.confirmBeforeImport, updatedAt: ctx.clock.now() })
      return c.json(body satisfies Preferences, 200)
    })
