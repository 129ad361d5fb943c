/**
 * PrestaShop Webservice client on the shared transport: Basic `KEY:` auth (never `ws_key` in
 * the URL: URLs end up in logs), JSON output, host 429s waited out, 5xx retried, and the
 * shop's error codes (WebserviceRequest.php) mapped to SourceError codes. Every call goes
 * through `http.fetch` (the engine's guarded fetch).
 */
import { SourceError, type SourceHttpOptions } from '../connector.ts'
import { createSourceTransport, type Exchange } from '../http/source-transport.ts'
import { listRows, PrestaShopErrorBody } from './prestashop.types.ts'

export type PrestaShopResource = 'customers' | 'addresses' | 'countries' | 'languages' | 'groups'

/**
 * Where the Webservice answers: `/api/…` is a rewrite rule of the shop's .htaccess (written
 * whether friendly URLs are on or not, but absent where mod_rewrite or the nginx rule is);
 * `webservice/dispatcher.php?url=…` is the script that rule points to, always reachable.
 */
export type PrestaShopBase = 'api' | 'dispatcher'

export interface PrestaShopClientCredentials {
  domain: string
  apiKey: string
}

export interface PrestaShopClient {
  /** one list GET; `params` as the Webservice takes them (display, filter[x], sort, limit) */
  list(resource: PrestaShopResource, params: Record<string, string>): Promise<unknown[]>
  /** the base that answered as a Webservice (null before the first answer) */
  readonly base: PrestaShopBase | null
}

/** Codes of WebserviceRequest::authenticate(): no/empty/wrong-length/inactive key, no permissions. */
const AUTH_CODES = new Set([16, 17, 18, 20, 21])
/** 26: resource not allowed for the key; 25: method not allowed; 132: key not allowed on this shop */
const DENIED_CODES = new Set([25, 26, 132])
const DISABLED_CODE = 22

export function createPrestaShopClient(creds: PrestaShopClientCredentials, http: SourceHttpOptions, opts: { base?: PrestaShopBase } = {}): PrestaShopClient {
  const root = creds.domain.replace(/\/+$/, '')
  const basic = Buffer.from(`${creds.apiKey}:`, 'utf8').toString('base64')
  const t = createSourceTransport(http, [creds.apiKey, basic])
  const { fail } = t
  let base: PrestaShopBase | null = opts.base ?? null
  const init: RequestInit = {
    method: 'GET',
    // the header asks for JSON too: a proxy that drops unknown query parameters cannot turn it off
    headers: { Authorization: `Basic ${basic}`, 'Output-Format': 'JSON', Accept: 'application/json' },
  }

  function urlOf(where: PrestaShopBase, resource: PrestaShopResource, params: Record<string, string>): string {
    // output_format must be exactly "JSON": "json" still gets XML
    const qs = new URLSearchParams({ ...params, output_format: 'JSON' }).toString()
    return where === 'api' ? `${root}/api/${resource}?${qs}` : `${root}/webservice/dispatcher.php?url=${resource}&${qs}`
  }

  /** one exchange, host 429s waited out (PrestaShop has no limiter of its own; a proxy or host may) */
  async function get(url: string, waits: { n: number }): Promise<Exchange> {
    for (;;) {
      const r = await t.exchange(url, init)
      if (r.status !== 429) return r
      await t.rateLimitWait(r, waits)
    }
  }

  async function list(resource: PrestaShopResource, params: Record<string, string>): Promise<unknown[]> {
    return t.withRetries(async (waits) => {
      const first = base ?? 'api'
      let r = await get(urlOf(first, resource, params), waits)
      let where = first
      if (base === null && notTheWebservice(r)) {
        // /api not routed on this server: the dispatcher it rewrites to, tried once
        const alt = await get(urlOf('dispatcher', resource, params), waits)
        if (!notTheWebservice(alt)) {
          r = alt
          where = 'dispatcher'
        }
      }
      return read(r, resource, where)
    })
  }

  /** the answer as rows, or the SourceError it means */
  function read(r: Exchange, resource: PrestaShopResource, where: PrestaShopBase): unknown[] {
    const err = PrestaShopErrorBody.safeParse(r.json)
    // PrestaShop's own error body or realm: this base is the Webservice, whatever it says next
    if (err.success || (r.status === 401 && isPrestaShopRealm(r))) base ??= where
    const codes = err.success ? err.data.errors.map((e) => e.code) : []
    const what = err.success ? ` (${err.data.errors.map((e) => `code ${e.code}: ${e.message}`).join('; ')})` : ''
    if (codes.includes(DISABLED_CODE)) throw fail('SOURCE_API_DISABLED', `the shop's Webservice is switched off${what}`)
    if (r.status >= 500) throw t.serverError(r, resource)
    if (codes.some((c) => AUTH_CODES.has(c))) throw fail('SOURCE_AUTH_FAILED', `the shop refused the key${what}`)
    if (codes.some((c) => DENIED_CODES.has(c))) throw new PrestaShopDeniedError(resource, t.redact(`the key may not read ${resource}${what}`))
    if (err.success) throw fail('SOURCE_BAD_RESPONSE', `the shop refused the request for ${resource} (HTTP ${r.status})${what}`)
    if (r.status === 401) {
      // the dispatcher's plain-text 401: no key reached PrestaShop (a server that drops Authorization)
      throw fail('SOURCE_AUTH_FAILED', `the shop asked for the key (HTTP 401${isPrestaShopRealm(r) ? ', PrestaShop realm' : ''}): it did not receive it`)
    }
    if (r.status === 200 && looksLikeJson(r)) throw fail('SOURCE_BAD_RESPONSE', `the shop sent broken JSON for ${resource}`, true)
    if (notTheWebservice(r)) {
      if (base === null) throw fail('SOURCE_NOT_A_SHOP', `no PrestaShop Webservice at /api or webservice/dispatcher.php (HTTP ${r.status}, ${kindOf(r)})`)
      // the base answered before: a glitch (a proxy page, a truncated body), worth another try
      throw fail('SOURCE_BAD_RESPONSE', `the shop sent ${kindOf(r)} for ${resource} (HTTP ${r.status})`, r.status === 200)
    }
    if (r.status !== 200) throw fail('SOURCE_BAD_RESPONSE', `the shop answered HTTP ${r.status} to ${resource}`)
    const rows = listRows(r.json, resource)
    if (!rows) throw fail(base === null ? 'SOURCE_NOT_A_SHOP' : 'SOURCE_BAD_RESPONSE', `${resource}: JSON that is not a PrestaShop list`)
    base ??= where
    return rows
  }

  return {
    list,
    get base() {
      return base
    },
  }
}

/** A key without GET on one resource (code 26/25): fatal for customers, skippable for lookups. */
export class PrestaShopDeniedError extends SourceError {
  constructor(
    readonly resource: PrestaShopResource,
    message: string,
  ) {
    super('SOURCE_API_ACCESS_DENIED', message, false)
  }
}

/** no JSON (HTML page, XML where JSON was asked) or a 404: not the Webservice speaking */
function notTheWebservice(r: Exchange): boolean {
  if (r.status === 429 || r.status >= 500) return false
  if (r.status === 401 && isPrestaShopRealm(r)) return false
  return r.status === 404 || (r.json === undefined && !(r.status === 200 && looksLikeJson(r)))
}

/** a body cut short (or garbled) on its way: a glitch, not another kind of site */
function looksLikeJson(r: Exchange): boolean {
  return r.json === undefined && /^[[{]/.test(r.text.trimStart())
}

function isPrestaShopRealm(r: Exchange): boolean {
  return /PrestaShop/i.test(r.headers.get('www-authenticate') ?? '')
}

function kindOf(r: Exchange): string {
  if (r.json !== undefined) return 'JSON'
  const head = r.text.trimStart().slice(0, 200).toLowerCase()
  if (head.startsWith('<?xml') || head.startsWith('<prestashop')) return 'XML where JSON was asked'
  if (head.startsWith('<!doctype html') || head.startsWith('<html')) return 'an HTML page'
  return head === '' ? 'an empty body' : 'a body that is not JSON'
}
