import { Hono } from 'hono'
import { PERMISSIONS } from '@cm/contracts'
import type { ModuleContext } from '../context.ts'
import { type Env, requirePermission } from './env.ts'

export const shopsRoutes = (ctx: ModuleContext) =>
  new Hono<Env>()
    .use('/shops', requirePermission(PERMISSIONS.importCustomers))
    .get('/shops', async (c) => c.json({ items: await ctx.ports.shops.list() }, 200))
