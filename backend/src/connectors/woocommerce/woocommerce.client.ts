/**
 * WooCommerce REST client (wc/v3) on the shared transport: the key sent the way the shop's
 * scheme asks for (woocommerce.auth.ts), the documented query-string fallback for servers that
 * drop the Authorization header, ?rest_route= for shops without pretty permalinks, 429 waits,
 * retried 5xx, and WooCommerce's answers mapped to SourceError codes.
 * Every call goes through `http.fetch` (the engine's guarded fetch), never the global one.
 */
import type { SourceHttpOptions } from '../connector.ts'
import { createSourceTransport, type Exchange } from '../http/source-transport.ts'
import { basicValue, oauthSigner, wooRoute, wooTarget, type WooAuthMode, type WooKeyPair } from './woocommerce.auth.ts'
import { WooErrorBody } from './woocommerce.types.ts'

export interface WooClientCredentials extends WooKeyPair {
  domain: string
}

/** the core enum of orderby on /customers (WC_REST_Customers_V1_Controller::get_collection_params) */
export type WooOrderBy = 'id' | 'include' | 'name' | 'registered_date'

export interface WooListQuery {
  /** 1–100; WooCommerce answers 400 rest_invalid_param beyond */
  per_page: number
  /** rows to skip; WooCommerce ignores 0 and then uses `page` (default 1) */
  offset?: number
  orderby?: WooOrderBy
  order?: 'asc' | 'desc'
  /** 'customer' when absent (WooCommerce's default), 'all' for every role */
  role?: string
}

export interface WooListAnswer {
  rows: unknown[]
  /** X-WP-Total / X-WP-TotalPages, null when a proxy dropped them */
  total: number | null
  totalPages: number | null
}

export interface WooCommerceClient {
  listCustomers(q: WooListQuery): Promise<WooListAnswer>
  /** how the key travels now: 'basic' may turn into 'query' after the first answer */
  readonly authMode: WooAuthMode
  /** 'plain' once /wp-json answered with a web page and ?rest_route= worked instead */
  readonly routeMode: 'pretty' | 'plain'
}

export const WOO_MAX_PER_PAGE = 100

const isHtml = (text: string) => /^\s*</.test(text)

export function createWooCommerceClient(creds: WooClientCredentials, http: SourceHttpOptions): WooCommerceClient {
  const domain = creds.domain.replace(/\/+$/, '')
  const t = createSourceTransport(http, [creds.consumerKey, creds.consumerSecret, basicValue(creds)])
  const sign = oauthSigner(creds)
  // is_ssl(): WooCommerce only reads Basic or query keys over HTTPS; plain HTTP must be signed
  let auth: WooAuthMode = /^https:/i.test(domain) ? 'basic' : 'oauth'
  let route: 'pretty' | 'plain' = 'pretty'
  /** an answer of this client was read: no more switching of route */
  let settled = false

  function paramsOf(q: WooListQuery): URLSearchParams {
    const p = new URLSearchParams({ per_page: String(q.per_page) })
    if (q.offset) p.set('offset', String(q.offset))
    if (q.orderby) p.set('orderby', q.orderby)
    if (q.order) p.set('order', q.order)
    if (q.role) p.set('role', q.role)
    return p
  }

  async function listCustomers(q: WooListQuery): Promise<WooListAnswer> {
    return t.withRetries(async (waits) => {
      for (;;) {
        const { url, headers } = wooTarget(wooRoute(domain, 'customers', route === 'plain'), paramsOf(q), auth, creds, sign)
        const r = await t.exchange(url, { method: 'GET', headers })
        if (r.status === 429) {
          // core WooCommerce has no limiter: this is the host's or a WAF's, and it says how long
          await t.rateLimitWait(r, waits)
          continue
        }
        if (r.status >= 500) throw t.serverError(r, 'GET /wc/v3/customers')
        const err = WooErrorBody.safeParse(r.json)
        // a server that strips Authorization makes WooCommerce see no key at all: it answers as to
        // a stranger. The documented fallback sends the key in the query (HTTPS only), once.
        if (auth === 'basic' && r.status === 401 && err.data?.code === 'woocommerce_rest_cannot_view') {
          auth = 'query'
          continue
        }
        // WordPress without pretty permalinks serves its 404 page at /wp-json; ?rest_route= reaches the API
        if (!settled && route === 'pretty' && !err.success && (isHtml(r.text) || r.status === 404)) {
          route = 'plain'
          continue
        }
        const answer = readList(r, err.data ?? null)
        settled = true
        return answer
      }
    })
  }

  function header(r: Exchange, name: string): number | null {
    const v = Number.parseInt(r.headers.get(name) ?? '', 10)
    return Number.isFinite(v) && v >= 0 ? v : null
  }

  function readList(r: Exchange, err: WooErrorBody | null): WooListAnswer {
    const said = err ? ` (${err.code}: ${err.message})` : ` (HTTP ${r.status})`
    if (r.status === 200) {
      if (Array.isArray(r.json)) return { rows: r.json, total: header(r, 'x-wp-total'), totalPages: header(r, 'x-wp-totalpages') }
      // a cut-off body is worth another try; a web page or someone else's JSON is not
      if (r.json === undefined && !isHtml(r.text)) throw t.fail('SOURCE_BAD_RESPONSE', 'the shop sent broken JSON for the customers list', true)
      throw t.fail('SOURCE_NOT_A_SHOP', `no WooCommerce customers list at /wc/v3/customers (${r.json === undefined ? 'a web page' : 'a JSON that is not a list'} answered)`)
    }
    const code = err?.code ?? ''
    const message = err?.message ?? ''
    if (r.status === 401 || r.status === 403) {
      // check_permissions(): a key with the "Write" permission only may not GET
      if (/does not have read permission/i.test(message)) throw t.fail('SOURCE_API_ACCESS_DENIED', `the API key may not read${said}`)
      // permission_callback as a logged-in user (403): the key's owner may not list customers
      if (code === 'woocommerce_rest_cannot_view' && r.status === 403) throw t.fail('SOURCE_API_ACCESS_DENIED', `the API key's user may not list customers${said}`)
      if (r.status === 401) throw t.fail('SOURCE_AUTH_FAILED', `the shop refused the API key${said}`)
      throw t.fail('SOURCE_API_ACCESS_DENIED', `the shop (or a firewall in front of it) refused access${said}`)
    }
    if (code === 'rest_no_route') throw t.fail('SOURCE_NOT_A_SHOP', `WordPress answers, but without WooCommerce's wc/v3 API${said}`)
    if (!err) throw t.fail('SOURCE_NOT_A_SHOP', `no WooCommerce REST API at this address${said}`)
    // rest_invalid_param names the parameters in `message` and says what is wrong in data.params
    const params = (err.data as { params?: Record<string, unknown> } | null | undefined)?.params
    const why = params && typeof params === 'object' ? ` ${Object.values(params).map(String).join('; ')}` : ''
    throw t.fail('SOURCE_BAD_RESPONSE', `the shop refused the customers request: HTTP ${r.status}${said}${why}`)
  }

  return {
    listCustomers,
    get authMode() {
      return auth
    },
    get routeMode() {
      return route
    },
  }
}
