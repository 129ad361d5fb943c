/** Hono environment of the module's routes, the auth middleware and the validator hook. */
import type { MiddlewareHandler } from 'hono'
import { zValidator } from '@hono/zod-validator'
import type { ValidationTargets } from 'hono'
import type { z } from 'zod'
import type { Locale, Permission } from '@cm/contracts'
import type { Caller } from '../ports.ts'
import type { ModuleContext } from '../context.ts'
import { HttpError, errorBody } from './http-error.ts'

export type Env = { Variables: { caller: Caller; locale: Locale } }

function localeOf(req: Request, caller: Caller | null): Locale {
  if (caller?.locale) return caller.locale
  return /^en\b/i.test(req.headers.get('accept-language') ?? '') ? 'en' : 'pl'
}

/** Every route needs a session; `permission` is checked per route with `requirePermission`. */
export function authenticate(ctx: ModuleContext): MiddlewareHandler<Env> {
  return async (c, next) => {
    const caller = await ctx.ports.auth.identify(c.req.raw)
    c.set('locale', localeOf(c.req.raw, caller))
    if (!caller) throw new HttpError(401, 'UNAUTHENTICATED')
    if (!ctx.runtime) throw new HttpError(503, 'INTERNAL', 'module not started')
    c.set('caller', caller)
    await next()
  }
}

export function requirePermission(...anyOf: Permission[]): MiddlewareHandler<Env> {
  return async (c, next) => {
    const caller = c.get('caller')
    if (!anyOf.some((p) => caller.permissions.includes(p))) throw new HttpError(403, 'FORBIDDEN')
    await next()
  }
}

/** zValidator whose failures are a 400 with the error envelope (issues as details). */
export function valid<T extends z.ZodType, Target extends keyof ValidationTargets>(target: Target, schema: T) {
  return zValidator(target, schema, (result, c) => {
    if (!result.success) {
      const issues = result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }))
      return c.json(errorBody('VALIDATION_FAILED', localeOf(c.req.raw, null), undefined, issues), 400)
    }
  })
}

export function parseId(raw: string): number {
  if (!/^\d{1,15}$/.test(raw)) throw new HttpError(404, 'NOT_FOUND')
  return Number(raw)
}
