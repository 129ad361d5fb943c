/** Sprawdź połączenie: a well-formed request always gets 200 with ok true/false, within 15 s. */
import { Hono } from 'hono'
import {
  CONNECTION_CHECK_TIMEOUT_MS,
  ConnectionCheckRequest,
  connectionErrorText,
  PERMISSIONS,
  type ConnectionCheckResponse,
  type ConnectionErrorCode,
  type Locale,
  type PlatformId,
} from '@cm/contracts'
import type { ModuleContext } from '../context.ts'
import { connectorFor } from '../connectors/registry.ts'
import { checkSourceUrl, createGuardedFetch } from '../security/address-guard.ts'
import { type Env, requirePermission, valid } from './env.ts'
import { HttpError } from './http-error.ts'

/** the reason in the platform's own terms, in the admin's language */
const fail = (platform: PlatformId, code: ConnectionErrorCode, locale: Locale): ConnectionCheckResponse => ({
  ok: false,
  error: { code, message: connectionErrorText(platform, code)[locale] },
})

export const connectionsRoutes = (ctx: ModuleContext) =>
  new Hono<Env>()
    .use('/connections/check', requirePermission(PERMISSIONS.importCustomers))
    .post('/connections/check', valid('json', ConnectionCheckRequest), async (c) => {
      const creds = c.req.valid('json')
      const locale = c.get('locale')
      const connector = connectorFor(creds.platform)
      if (!connector) throw new HttpError(422, 'PLATFORM_UNAVAILABLE')
      const s = ctx.settings
      const allowed = await checkSourceUrl(creds.domain, { allowPrivate: s.allowPrivateSources, allowHttp: s.allowHttpSources })
      if (!allowed.ok) return c.json(fail(creds.platform, 'SOURCE_ADDRESS_NOT_ALLOWED', locale), 200)
      const signal = AbortSignal.timeout(CONNECTION_CHECK_TIMEOUT_MS - 500)
      const fetch = createGuardedFetch({ allowPrivate: s.allowPrivateSources, allowHttp: s.allowHttpSources })
      const deadline = new Promise<ConnectionCheckResponse>((resolve) => {
        const t = setTimeout(() => resolve(fail(creds.platform, 'SOURCE_TIMEOUT', locale)), CONNECTION_CHECK_TIMEOUT_MS - 200)
        t.unref()
      })
      // the check retries little: the admin is waiting for the answer
      const check = connector
        .check(creds, { fetch, signal, requestTimeoutMs: Math.min(s.source.requestTimeoutMs, 6_000), retries: 1, minRetryDelayMs: 300, maxRetryDelayMs: 1_000 })
        .catch((): ConnectionCheckResponse => fail(creds.platform, 'SOURCE_UNREACHABLE', locale))
      const result = await Promise.race([check, deadline])
      ctx.settings.log('info', 'connection check', { platform: creds.platform, domain: creds.domain, ok: result.ok, ...(result.ok ? {} : { code: result.error.code }) })
      if (!result.ok) return c.json(fail(creds.platform, result.error.code, locale), 200)
      return c.json(result, 200)
    })
