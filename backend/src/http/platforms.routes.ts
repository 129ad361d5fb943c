import { Hono } from 'hono'
import { PERMISSIONS, PLATFORMS } from '@cm/contracts'
import { connectorFor } from '../connectors/registry.ts'
import { type Env, requirePermission } from './env.ts'

export const platformsRoutes = () =>
  new Hono<Env>()
    .use('/platforms', requirePermission(PERMISSIONS.importCustomers))
    .get('/platforms', (c) => c.json({ items: PLATFORMS.map((p) => ({ ...p, available: p.available && connectorFor(p.id) != null })) }, 200))
