/**
 * The mock's WC_REST_Authentication, written from the PHP (class-wc-rest-authentication.php),
 * independently of the client's signer so the two check each other:
 * - HTTPS (is_ssl): consumer_key + consumer_secret from the query, else the Basic header; an
 *   unknown key is no error (the request goes on anonymous), a wrong secret is.
 * - then, on any scheme, OAuth 1.0a from the query (and an `OAuth …` header): all five oauth_*
 *   parameters, the key, the signature (HMAC-SHA1/SHA256 over every query parameter, key =
 *   secret + "&"), a timestamp within 15 minutes and a nonce not used within them.
 */
import { createHmac, timingSafeEqual } from 'node:crypto'

export type WooKeyPermissions = 'read' | 'write' | 'read_write'

export interface WooMockKey {
  consumerKey: string
  consumerSecret: string
  permissions: WooKeyPermissions
  /** false: the key belongs to a user without the manage_woocommerce capability (403 on lists) */
  manager?: boolean
}

export type WooAuthResult =
  | { kind: 'anonymous' }
  | { kind: 'user'; key: WooMockKey; method: 'basic' | 'query' | 'oauth' }
  | { kind: 'error'; code: string; message: string }

export interface WooAuthRequest {
  method: string
  url: URL
  /** the Authorization header as PHP sees it ('' when the server dropped it) */
  authorization: string
  ssl: boolean
  /** WordPress's home URL, e.g. "https://shop.example" (no trailing slash) */
  home: string
  nowSeconds: number
}

const WINDOW_S = 15 * 60
const OAUTH_PARAMS = ['oauth_consumer_key', 'oauth_timestamp', 'oauth_nonce', 'oauth_signature', 'oauth_signature_method'] as const

/** wc_rest_urlencode_rfc3986: rawurlencode (everything but A-Z a-z 0-9 - _ . ~) */
const rfc3986 = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)

/** PHP's rawurldecode: leaves a malformed escape as it is instead of failing */
const rawUrlDecode = (s: string) => s.replace(/%[0-9a-f]{2}/gi, (e) => String.fromCharCode(Number.parseInt(e.slice(1), 16)))

const authError = (message: string, code = 'woocommerce_rest_authentication_error'): WooAuthResult => ({ kind: 'error', code, message })

export function createWooMockAuth(keys: readonly WooMockKey[]) {
  /** per key: nonce → its timestamp (the PHP keeps them in the key's row) */
  const nonces = new Map<string, Map<string, number>>()
  const keyOf = (ck: string) => keys.find((k) => k.consumerKey === ck.trim())

  function basic(req: WooAuthRequest): WooAuthResult | null {
    const q = req.url.searchParams
    let ck = ''
    let cs = ''
    if (q.get('consumer_key') && q.get('consumer_secret')) {
      ck = q.get('consumer_key')!
      cs = q.get('consumer_secret')!
    } else {
      const m = /^Basic\s+(\S+)$/i.exec(req.authorization)
      const decoded = m?.[1] ? Buffer.from(m[1], 'base64').toString('utf8') : ''
      const i = decoded.indexOf(':')
      if (i > 0) [ck, cs] = [decoded.slice(0, i), decoded.slice(i + 1)]
    }
    if (!ck || !cs) return null
    const key = keyOf(ck)
    if (!key) return null
    if (key.consumerSecret !== cs) return authError('Consumer secret is invalid.')
    return { kind: 'user', key, method: q.get('consumer_key') ? 'query' : 'basic' }
  }

  /** check_oauth_signature(): the string WooCommerce signs for this request */
  function stringToSign(req: WooAuthRequest, params: Map<string, string>): string {
    const homePath = new URL(req.home).pathname.replace(/\/+$/, '')
    const rel = req.url.pathname.startsWith(`${homePath}/`) ? req.url.pathname.slice(homePath.length + 1) : req.url.pathname.replace(/^\/+/, '')
    // get_home_url( null, $path ): the home URL, plus "/path" only when there is a path
    const base = rel ? `${req.home}/${rel}` : req.home
    const pairs = [...params].filter(([k]) => k !== 'oauth_signature').sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    const joined = pairs.map(([k, v]) => rfc3986(`${rfc3986(k)}=${rfc3986(v)}`)).join('%26')
    return `${req.method.toUpperCase()}&${rfc3986(base)}&${joined}`
  }

  function oauth(req: WooAuthRequest): WooAuthResult | null {
    const params = new Map<string, string>(req.url.searchParams)
    if (req.authorization.startsWith('OAuth ')) {
      for (const m of req.authorization.matchAll(/(oauth_[a-z_-]*)=(?:"([^"]*)"|([^,]*))/g)) params.set(m[1]!, rawUrlDecode(m[2] ?? m[3] ?? ''))
    }
    const missing = OAUTH_PARAMS.filter((p) => !params.get(p))
    if (missing.length === OAUTH_PARAMS.length) return null
    if (missing.length > 0) return authError(`Missing OAuth parameter${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`, 'woocommerce_rest_authentication_missing_parameter')
    const key = keyOf(params.get('oauth_consumer_key')!)
    if (!key) return authError('Consumer key is invalid.')
    const method = params.get('oauth_signature_method')!
    if (method !== 'HMAC-SHA1' && method !== 'HMAC-SHA256') return authError('Invalid signature - signature method is invalid.')
    const expected = createHmac(method === 'HMAC-SHA1' ? 'sha1' : 'sha256', `${key.consumerSecret}&`).update(stringToSign(req, params)).digest('base64')
    const given = rawUrlDecode(params.get('oauth_signature')!.replace(/ /g, '+'))
    if (expected.length !== given.length || !timingSafeEqual(Buffer.from(expected), Buffer.from(given))) {
      return authError('Invalid signature - provided signature does not match.')
    }
    const ts = Number(params.get('oauth_timestamp'))
    if (!(Math.abs(ts - req.nowSeconds) <= WINDOW_S)) return authError('Invalid timestamp.')
    const seen = nonces.get(key.consumerKey) ?? new Map<string, number>()
    nonces.set(key.consumerKey, seen)
    const nonce = params.get('oauth_nonce')!
    if (seen.has(nonce)) return authError('Invalid nonce - nonce has already been used.')
    seen.set(nonce, ts)
    for (const [n, at] of seen) if (at < req.nowSeconds - WINDOW_S) seen.delete(n)
    return { kind: 'user', key, method: 'oauth' }
  }

  return {
    /** WC_REST_Authentication::authenticate + check_authentication_error */
    authenticate(req: WooAuthRequest): WooAuthResult {
      const viaBasic = req.ssl ? basic(req) : null
      if (viaBasic?.kind === 'user') return viaBasic
      // OAuth runs after a failed Basic attempt too; its own error replaces the Basic one
      return oauth(req) ?? viaBasic ?? { kind: 'anonymous' }
    },
  }
}
