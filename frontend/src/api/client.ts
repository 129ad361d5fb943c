/**
 * The module's API, typed end to end by the backend's AppType (Hono's hc). Views never build
 * URLs: they call the functions of the stores, which call `api()` here.
 */
import { hc, type ClientResponse, type InferResponseType } from 'hono/client'
import type { SuccessStatusCode } from 'hono/utils/http-status'
import type { AppType } from '@cm/backend'
import { contractChecks } from '../contract/checks.ts'

export type Api = ReturnType<typeof hc<AppType>>
let client: Api | null = null
let base = ''

export function configureApi(apiBase: string): void {
  base = apiBase.replace(/\/+$/, '')
  // same-origin session cookie of the host panel
  client = hc<AppType>(base, { init: { credentials: 'same-origin' } })
}

export function api(): Api {
  if (!client) throw new Error('configureApi() was not called')
  return client
}

export function apiBase(): string {
  return base
}

/** A coded failure of the module's API; the UI translates `code`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message)
  }
}

/** Unwraps a response: the JSON on success, an ApiError (from the error envelope) otherwise. */
async function unwrap<T>(res: Promise<{ ok: boolean; status: number; json(): Promise<T> }> | { ok: boolean; status: number; json(): Promise<T> }): Promise<T> {
  let r
  try {
    r = await res
  } catch {
    throw new ApiError(0, 'NETWORK', 'network error')
  }
  if (r.ok) return r.json()
  const body: unknown = await r.json().catch(() => null)
  // the contract's schema, loaded with the first failure (a failed download: no envelope read)
  const env = await contractChecks().then(({ ErrorEnvelope }) => ErrorEnvelope.safeParse(body), () => null)
  if (env?.success) throw new ApiError(r.status, env.data.error.code, env.data.error.message, env.data.error.details)
  throw new ApiError(r.status, r.status >= 500 ? 'INTERNAL' : 'UNKNOWN', `HTTP ${r.status}`)
}

export type { InferResponseType }

type AnyResponse = ClientResponse<unknown, number, string>
/** the body of a route's 2xx answers (hc types a validated route as a union with its 400 body) */
export type SuccessBody<R> = R extends ClientResponse<infer T, infer S, infer _F> ? (S extends SuccessStatusCode ? T : never) : never

/** `await ok(api().imports.$get(...))`: the success body, typed; an ApiError otherwise. */
export function ok<R extends AnyResponse>(res: Promise<R>): Promise<SuccessBody<R>> {
  return unwrap(res as unknown as Promise<{ ok: boolean; status: number; json(): Promise<SuccessBody<R>> }>)
}
