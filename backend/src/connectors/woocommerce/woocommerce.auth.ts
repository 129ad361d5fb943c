/**
 * How a request carries the API key, the way WC_REST_Authentication reads it
 * (woocommerce/woocommerce plugins/woocommerce/includes/class-wc-rest-authentication.php):
 * over HTTPS a Basic header (or, where the server drops that header, consumer_key/consumer_secret
 * in the query); over plain HTTP only OAuth 1.0a "one-legged" signatures in the query string.
 */
import { createHmac } from 'node:crypto'
import OAuth from 'oauth-1.0a'

export type WooAuthMode = 'basic' | 'query' | 'oauth'

export interface WooKeyPair {
  consumerKey: string
  consumerSecret: string
}

export function basicValue(k: WooKeyPair): string {
  return Buffer.from(`${k.consumerKey}:${k.consumerSecret}`, 'utf8').toString('base64')
}

/**
 * Signs GET requests as check_oauth_signature() verifies them: every query parameter is signed,
 * HMAC-SHA256 keyed with the raw consumer secret + "&" (no token). The library would key with the
 * percent-encoded secret; WooCommerce does not encode it, so the hash is formed here.
 */
export function oauthSigner(k: WooKeyPair): (baseUrl: string, params: URLSearchParams) => Array<[string, string]> {
  const oauth = new OAuth({
    consumer: { key: k.consumerKey, secret: k.consumerSecret },
    signature_method: 'HMAC-SHA256',
    hash_function: (base) => createHmac('sha256', `${k.consumerSecret}&`).update(base).digest('base64'),
  })
  return (baseUrl, params) => {
    // fresh per call: WooCommerce refuses a nonce it has seen within its 15-minute window. No
    // oauth_version: WooCommerce's docs say to omit it (it would be signed like any parameter).
    const data = { oauth_consumer_key: k.consumerKey, oauth_nonce: oauth.getNonce(), oauth_signature_method: 'HMAC-SHA256', oauth_timestamp: oauth.getTimeStamp() }
    const signature = oauth.getSignature({ url: baseUrl, method: 'GET', data: Object.fromEntries(params) }, undefined, data as OAuth.Data)
    return [...Object.entries(data).map(([name, value]): [string, string] => [name, String(value)]), ['oauth_signature', signature]]
  }
}

/** Where a request goes and what it carries, for one auth mode. */
export interface WooTarget {
  url: string
  headers: Record<string, string>
}

export interface WooRoute {
  /** the URL without query, and the URL WooCommerce signs for it (get_home_url of the path) */
  path: string
  signBase: string
  /** plain permalinks: the route travels as ?rest_route= */
  restRoute?: string
}

/** `${domain}/wp-json/wc/v3/<resource>`, or `${domain}/?rest_route=/wc/v3/<resource>` without pretty permalinks */
export function wooRoute(domain: string, resource: string, plain: boolean): WooRoute {
  if (!plain) {
    const path = `${domain}/wp-json/wc/v3/${resource}`
    return { path, signBase: path }
  }
  // the request path is the home path itself, so WooCommerce signs the home URL without a slash
  return { path: `${domain}/`, signBase: domain, restRoute: `/wc/v3/${resource}` }
}

export function wooTarget(
  route: WooRoute,
  params: URLSearchParams,
  mode: WooAuthMode,
  k: WooKeyPair,
  sign: ReturnType<typeof oauthSigner>,
): WooTarget {
  const q = new URLSearchParams(route.restRoute ? [['rest_route', route.restRoute]] : [])
  for (const [name, value] of params) q.append(name, value)
  const headers: Record<string, string> = { Accept: 'application/json' }
  if (mode === 'basic') headers.Authorization = `Basic ${basicValue(k)}`
  if (mode === 'query') {
    q.set('consumer_key', k.consumerKey)
    q.set('consumer_secret', k.consumerSecret)
  }
  if (mode === 'oauth') for (const [name, value] of sign(route.signBase, q)) q.set(name, value)
  return { url: `${route.path}?${q.toString()}`, headers }
}
