/** Shared bits of the host's routes: the error envelope, the session guard, form detection. */
import { API_ERROR_MESSAGES, type ApiErrorCode } from '@cm/contracts'
import type { Context, MiddlewareHandler } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import type { Caller } from '@cm/backend'
import type { PanelAuth } from '../ports/auth.port.ts'

export type HostEnv = { Variables: { caller: Caller } }

export function apiError(c: Context, status: ContentfulStatusCode, code: ApiErrorCode, message?: string, details?: unknown) {
  const error = { code, message: message ?? API_ERROR_MESSAGES[code].pl, ...(details === undefined ? {} : { details }) }
  return c.json({ error }, status)
}

/** API guard: 401 with the error envelope when nobody is signed in. */
export function requireCaller(auth: PanelAuth): MiddlewareHandler<HostEnv> {
  return async (c, next) => {
    const caller = await auth.identify(c.req.raw)
    if (!caller) return apiError(c, 401, 'UNAUTHENTICATED')
    c.set('caller', caller)
    await next()
  }
}

/** Page guard: back to the login page, and here again after it. */
export function requirePageCaller(auth: PanelAuth): MiddlewareHandler<HostEnv> {
  return async (c, next) => {
    const caller = await auth.identify(c.req.raw)
    if (!caller) return c.redirect(`/login?next=${encodeURIComponent(new URL(c.req.url).pathname + new URL(c.req.url).search)}`, 302)
    c.set('caller', caller)
    await next()
  }
}

export function isForm(c: Context): boolean {
  const type = c.req.header('content-type') ?? ''
  return type.startsWith('application/x-www-form-urlencoded') || type.startsWith('multipart/form-data')
}

/** Only same-site paths, so the login form cannot be turned into an open redirect. */
export function safeNext(next: unknown, fallback = '/klienci/eksport-import'): string {
  return typeof next === 'string' && next.startsWith('/') && !next.startsWith('//') && !next.includes('\\') ? next : fallback
}
