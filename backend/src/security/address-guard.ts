/**
 * SSRF guard for shop URLs the admin types in: https only (unless allowed), no credentials in the
 * URL, and no connection to a private/loopback/reserved address — checked before the request and
 * again at connect time, on the very address the socket is opened to (no DNS rebinding).
 */
import { promises as dns } from 'node:dns'
import { isIP } from 'node:net'
import type { LookupAddress } from 'node:dns'
import type { LookupFunction } from 'node:net'
import { Agent, fetch as undiciFetch } from 'undici'
import type { RequestInit as UndiciRequestInit } from 'undici'
import { SourceError } from '../connectors/connector.ts'
import { isForbiddenAddress } from './ip-ranges.ts'

export { isForbiddenAddress } from './ip-ranges.ts'

export type ResolvedAddress = { address: string; family: 4 | 6 }
export type HostLookup = (host: string) => Promise<Array<{ address: string; family: number }>>

export interface GuardOptions {
  /** loopback/private targets allowed (development and the mock host only) */
  allowPrivate: boolean
  /** plain http allowed (development only) */
  allowHttp: boolean
  /** DNS resolution; tests inject one */
  lookup?: HostLookup
}

export type GuardRejection =
  | 'invalid_url'
  | 'scheme_not_allowed'
  | 'credentials_in_url'
  | 'forbidden_address'
  | 'unresolvable'

type Rejected = { ok: false; reason: GuardRejection; message: string }
export type SourceUrlCheck = { ok: true; url: URL; addresses: ResolvedAddress[] } | Rejected

/**
 * A target the guard refuses. It is a SourceError with the code SOURCE_ADDRESS_NOT_ALLOWED and
 * not retryable, so a connector that meets it at connect time (a DNS answer that changed since
 * the pre-check) reports the address, not an unreachable shop, and does not try again.
 */
export class AddressNotAllowedError extends SourceError {
  override readonly name = 'AddressNotAllowedError'
  constructor(
    readonly reason: GuardRejection,
    message: string,
  ) {
    super('SOURCE_ADDRESS_NOT_ALLOWED', message, false)
  }
}

const systemLookup: HostLookup = (host) => dns.lookup(host, { all: true, verbatim: true })

/** `[::1]` → `::1`; URL keeps the brackets of IPv6 hosts. */
const bareHost = (hostname: string): string => hostname.replace(/^\[(.*)\]$/, '$1')

async function resolveChecked(
  host: string,
  opts: GuardOptions,
): Promise<{ ok: true; addresses: ResolvedAddress[] } | (Rejected & { dnsError?: unknown })> {
  let found: Array<{ address: string; family: number }>
  if (isIP(host)) {
    found = [{ address: host, family: isIP(host) }]
  } else {
    try {
      found = await (opts.lookup ?? systemLookup)(host)
    } catch (e) {
      return { ok: false, reason: 'unresolvable', message: `cannot resolve ${host}: ${(e as Error).message}`, dnsError: e }
    }
  }
  if (found.length === 0) {
    const dnsError = Object.assign(new Error(`${host} has no address`), { code: 'ENOTFOUND' })
    return { ok: false, reason: 'unresolvable', message: dnsError.message, dnsError }
  }
  const addresses = found.map((a) => ({ address: a.address, family: (a.family === 6 ? 6 : 4) as 4 | 6 }))
  // every address counts: a host may answer a public and a private one and the socket picks either
  const bad = opts.allowPrivate ? undefined : addresses.find((a) => isForbiddenAddress(a.address))
  if (bad) return { ok: false, reason: 'forbidden_address', message: `${host} resolves to a forbidden address ${bad.address}` }
  return { ok: true, addresses }
}

type Inspected = { ok: true; url: URL; addresses: ResolvedAddress[] } | (Rejected & { dnsError?: unknown })

async function inspectUrl(url: string, opts: GuardOptions): Promise<Inspected> {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return { ok: false, reason: 'invalid_url', message: 'not a valid URL' }
  }
  const schemes = opts.allowHttp ? ['https:', 'http:'] : ['https:']
  if (!schemes.includes(parsed.protocol))
    return { ok: false, reason: 'scheme_not_allowed', message: `scheme ${parsed.protocol} is not allowed` }
  if (parsed.username !== '' || parsed.password !== '')
    return { ok: false, reason: 'credentials_in_url', message: 'credentials in the URL are not allowed' }
  const host = bareHost(parsed.hostname)
  if (host === '') return { ok: false, reason: 'invalid_url', message: 'the URL has no host' }
  const resolved = await resolveChecked(host, opts)
  return resolved.ok ? { ok: true, url: parsed, addresses: resolved.addresses } : resolved
}

/**
 * Checks a user-supplied URL. The check runs on WHATWG-parsed hostnames, so `2130706433`,
 * `0x7f000001`, `0177.0.0.1` and `127.1` are all seen as 127.0.0.1.
 */
export async function checkSourceUrl(url: string, opts: GuardOptions): Promise<SourceUrlCheck> {
  const r = await inspectUrl(url, opts)
  return r.ok ? r : { ok: false, reason: r.reason, message: r.message }
}

/** net's lookup hook: resolves, refuses forbidden answers, hands the socket only checked addresses. */
function guardedLookup(opts: GuardOptions): LookupFunction {
  return (hostname, options, callback) => {
    resolveChecked(bareHost(hostname), opts).then(
      (result) => {
        if (!result.ok) {
          // a name that does not resolve is an unreachable shop, not a forbidden one
          const err = result.reason === 'unresolvable' ? result.dnsError : new AddressNotAllowedError(result.reason, result.message)
          callback(err as Error, '', 4)
          return
        }
        const family = options.family
        const wanted = family === 4 || family === 6 ? result.addresses.filter((a) => a.family === family) : result.addresses
        if (wanted.length === 0) {
          callback(Object.assign(new Error(`${hostname} has no IPv${options.family} address`), { code: 'ENOTFOUND' }), '', 4)
        } else if (options.all) {
          callback(null, wanted satisfies LookupAddress[])
        } else {
          callback(null, wanted[0]!.address, wanted[0]!.family)
        }
      },
      (e: unknown) => callback(e as Error, '', 4),
    )
  }
}

/** undici wraps connect errors ("fetch failed"); the guard's own refusal is surfaced as itself. */
function findGuardError(e: unknown): AddressNotAllowedError | undefined {
  for (let cur = e, depth = 0; cur instanceof Error && depth < 5; cur = cur.cause, depth++) {
    if (cur instanceof AddressNotAllowedError) return cur
  }
  return undefined
}

export type GuardedFetch = ((url: string, init?: RequestInit) => Promise<Response>) & {
  /** closes the pooled connections (shutdown, tests) */
  close(): Promise<void>
}

/**
 * fetch for source shops. Redirects are never followed (a 3xx comes back to the caller as is, so
 * a shop cannot bounce us to another host); TLS is always verified.
 */
export function createGuardedFetch(opts: GuardOptions): GuardedFetch {
  const agent = new Agent({ connect: { lookup: guardedLookup(opts), rejectUnauthorized: true } })
  const guarded = async (url: string, init?: RequestInit): Promise<Response> => {
    const check = await inspectUrl(url, opts)
    // the shape undici gives a DNS failure, so callers map it to "unreachable", not "forbidden"
    if (!check.ok && check.reason === 'unresolvable') throw new TypeError('fetch failed', { cause: check.dnsError })
    if (!check.ok) throw new AddressNotAllowedError(check.reason, check.message)
    try {
      const res = await undiciFetch(check.url, {
        ...(init as UndiciRequestInit | undefined),
        redirect: 'manual',
        dispatcher: agent,
      })
      // undici's Response has the shape of the global (DOM-typed) Response callers expect
      return res as unknown as Response
    } catch (e) {
      throw findGuardError(e) ?? e
    }
  }
  return Object.assign(guarded, { close: () => agent.close() })
}
