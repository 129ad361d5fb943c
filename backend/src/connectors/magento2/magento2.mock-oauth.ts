/**
 * The mock's authentication, written from Magento's PHP independently of the client's signer
 * so the two check each other:
 * - Framework/Oauth/Helper/Request::prepareRequest: oauth_* only from an `OAuth …` header
 *   (rawurldecoded), plus every non-oauth query parameter (split on & and =, urldecoded);
 * - Framework/Oauth/Oauth::validateAccessTokenRequest: oauth_version "1.0", required params,
 *   token length 32, HMAC-SHA256 only (400 "Signature method %1 is not supported"), consumer
 *   key (length 32, exists), nonce (Integration Nonce\Generator: timestamp ≤ now + 600 s, else
 *   401 "An error occurred validating the nonce"; single-use per consumer), the access token
 *   (exists, belongs to the consumer, not revoked), then the signature (Laminas OAuth: natural
 *   key order, key = encoded consumer secret & encoded token secret);
 * - Webapi OauthUserContext: an inactive integration is nobody (anonymous);
 * - Integration TokenUserContext (2.4.4+): `Bearer <access token>` only with
 *   oauth/consumer/enable_integration_as_bearer, otherwise nobody.
 */
import { createHmac, timingSafeEqual } from 'node:crypto'

export interface MagentoMockIntegration {
  /** the consumer's (and integration's) id, quoted in the nonce error */
  id: number
  name: string
  /** 32 characters each, as Magento generates them */
  consumerKey: string
  consumerSecret: string
  accessToken: string
  accessTokenSecret: string
  /** ACL resources ticked on the integration's API tab; 'all' = "Resource Access: All" */
  resources: readonly string[] | 'all'
  /** false: saved but not activated, or deactivated */
  active?: boolean
  /** the access token was revoked (re-activating issues new values) */
  revoked?: boolean
}

/** a Magento error answer: status + `{"message","parameters"}` */
export interface MagentoFailure {
  status: number
  message: string
  parameters?: Record<string, unknown> | unknown[]
  errors?: Array<{ message: string; parameters: Record<string, unknown> }>
}

export type MagentoAuthResult =
  | { kind: 'integration'; integration: MagentoMockIntegration; via: 'oauth' | 'bearer' }
  | { kind: 'anonymous' }
  | { kind: 'error'; failure: MagentoFailure }

export interface MagentoAuthRequest {
  method: string
  /** the URL as Magento computes it: scheme://host/path?query */
  url: URL
  authorization: string
  nowSeconds: number
  bearerEnabled: boolean
}

const TIME_DEVIATION_S = 600
const LENGTH = 32
const REQUIRED = ['oauth_consumer_key', 'oauth_signature', 'oauth_signature_method', 'oauth_nonce', 'oauth_timestamp', 'oauth_token'] as const

/** rawurlencode + ~ kept (Laminas Http\Utility::urlEncode) */
const urlEncode = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
/** PHP rawurldecode / urldecode: malformed escapes stay as they are */
const rawUrlDecode = (s: string) => {
  try {
    return decodeURIComponent(s)
  } catch {
    return s.replace(/%[0-9a-f]{2}/gi, (e) => String.fromCharCode(Number.parseInt(e.slice(1), 16)))
  }
}
const phpUrlDecode = (s: string) => rawUrlDecode(s.replace(/\+/g, ' '))
const isProtocolParameter = (name: string) => /oauth_[a-z_-]+/.test(name)

/** PHP strnatcmp for the keys Magento sorts: digit runs compare by value (leading zeros: left-aligned) */
export function strnatcmp(a: string, b: string): number {
  const digit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9'
  let i = 0
  let j = 0
  for (;;) {
    const ca = a[i]
    const cb = b[j]
    if (ca === undefined || cb === undefined) return ca === undefined ? (cb === undefined ? 0 : -1) : 1
    if (digit(ca) && digit(cb)) {
      let ei = i
      let ej = j
      while (digit(a[ei])) ei++
      while (digit(b[ej])) ej++
      const ra = a.slice(i, ei)
      const rb = b.slice(j, ej)
      if (ca === '0' || cb === '0') {
        if (ra !== rb) return ra < rb ? -1 : 1
      } else if (ra.length !== rb.length) return ra.length - rb.length
      else if (ra !== rb) return ra < rb ? -1 : 1
      i = ei
      j = ej
      continue
    }
    if (ca !== cb) return ca < cb ? -1 : 1
    i++
    j++
  }
}

/** the string Magento signs for these parameters (oauth_signature left out) */
export function magentoBaseString(method: string, url: URL, params: ReadonlyMap<string, string>): string {
  const port = (url.protocol === 'http:' && url.port === '80') || (url.protocol === 'https:' && url.port === '443') || url.port === '' ? '' : `:${url.port}`
  const base = `${url.protocol}//${url.hostname.toLowerCase()}${port}${url.pathname}`
  const encoded = [...params].filter(([k]) => k !== 'oauth_signature').map(([k, v]): [string, string] => [urlEncode(k), urlEncode(v)])
  encoded.sort(([x], [y]) => strnatcmp(x, y))
  return `${method.toUpperCase()}&${urlEncode(base)}&${urlEncode(encoded.map(([k, v]) => `${k}=${v}`).join('&'))}`
}

export function signMagento(baseString: string, consumerSecret: string, tokenSecret: string): string {
  return createHmac('sha256', `${urlEncode(consumerSecret)}&${urlEncode(tokenSecret)}`).update(baseString).digest('base64')
}

const fail = (status: number, message: string, parameters?: MagentoFailure['parameters']): MagentoAuthResult => ({
  kind: 'error',
  failure: { status, message, ...(parameters === undefined ? {} : { parameters }) },
})

export function createMagentoMockAuth(integrations: () => readonly MagentoMockIntegration[]) {
  /** consumer id → nonces used (the oauth_nonce table) */
  const nonces = new Map<number, Set<string>>()
  const byKey = (key: string) => integrations().find((i) => i.consumerKey === key)

  /** Helper/Request::_processHeader + _extractQueryStringParams; null: no OAuth header */
  function oauthParams(req: MagentoAuthRequest): Map<string, string> | null {
    const at = req.authorization.toLowerCase().indexOf('oauth ')
    if (!req.authorization || at < 0) return null
    const params = new Map<string, string>()
    for (const part of req.authorization.slice(at + 6).split(',')) {
      const pair = part.trim().split(/=(.*)/s)
      if (pair.length < 2 || pair[1] === undefined) continue
      if (isProtocolParameter(pair[0]!)) params.set(rawUrlDecode(pair[0]!), rawUrlDecode(pair[1].replace(/^"+|"+$/g, '')))
    }
    const query = req.url.search.replace(/^\?/, '')
    for (const kv of query ? query.split('&') : []) {
      const bits = kv.split('=')
      if (bits.length === 2 && !isProtocolParameter(bits[0]!)) params.set(phpUrlDecode(bits[0]!), phpUrlDecode(bits[1]!))
    }
    return params
  }

  function oauth(req: MagentoAuthRequest, p: Map<string, string>): MagentoAuthResult {
    const version = p.get('oauth_version')
    if (version !== undefined && version !== '1.0') return fail(400, 'The "%1" Oauth version isn\'t supported.', [version])
    const missing = REQUIRED.filter((k) => !p.has(k))
    if (missing.length === 1) return fail(400, '"%fieldName" is required. Enter and try again.', { fieldName: missing[0] })
    if (missing.length > 1) {
      const errors = missing.map((fieldName) => ({ message: '"%fieldName" is required. Enter and try again.', parameters: { fieldName } }))
      return { kind: 'error', failure: { status: 400, message: 'One or more input exceptions have occurred.', errors } }
    }
    if (p.get('oauth_token')!.length !== LENGTH) return fail(400, 'The token length is invalid. Check the length and try again.')
    const method = p.get('oauth_signature_method')!
    if (method !== 'HMAC-SHA256') return fail(400, 'Signature method %1 is not supported', [method])
    const key = p.get('oauth_consumer_key')!
    if (key.length !== LENGTH) return fail(401, 'Consumer key is not the correct length')
    const consumer = byKey(key)
    if (!consumer) return fail(401, 'A consumer having the specified key does not exist')
    // Nonce\Generator::validateNonce: the timestamp error is an input exception the generic catch turns into this
    const ts = Number.parseInt(p.get('oauth_timestamp')!, 10) || 0
    if (ts <= 0 || ts > req.nowSeconds + TIME_DEVIATION_S) return fail(401, 'An error occurred validating the nonce')
    const used = nonces.get(consumer.id) ?? new Set<string>()
    nonces.set(consumer.id, used)
    const nonce = p.get('oauth_nonce')!
    if (used.has(nonce)) return fail(401, 'The nonce is already being used by the consumer with ID %1', [String(consumer.id)])
    used.add(nonce)
    // Token\Provider::validateAccessTokenRequest
    const token = p.get('oauth_token')!
    const owner = integrations().find((i) => i.accessToken === token)
    if (!owner) return fail(401, 'Specified token does not exist')
    if (owner.id !== consumer.id) return fail(401, 'Token is not associated with the specified consumer')
    if (owner.revoked) return fail(401, 'Access token has been revoked')
    const expected = signMagento(magentoBaseString(req.method, req.url, p), consumer.consumerSecret, owner.accessTokenSecret)
    const given = p.get('oauth_signature')!
    if (expected.length !== given.length || !timingSafeEqual(Buffer.from(expected), Buffer.from(given))) {
      return fail(401, 'The signature is invalid. Verify and try again.')
    }
    // OauthUserContext: findActiveIntegrationByConsumerId; an inactive one authenticates nobody
    return consumer.active === false ? { kind: 'anonymous' } : { kind: 'integration', integration: consumer, via: 'oauth' }
  }

  function bearer(req: MagentoAuthRequest): MagentoAuthResult | null {
    const m = /^Bearer\s+(\S+)$/i.exec(req.authorization.trim())
    if (!m) return null
    const owner = integrations().find((i) => i.accessToken === m[1])
    // OpaqueToken Reader: an integration token without the setting is "Invalid token found" → no user
    if (!owner || !req.bearerEnabled || owner.revoked || owner.active === false) return { kind: 'anonymous' }
    return { kind: 'integration', integration: owner, via: 'bearer' }
  }

  return {
    authenticate(req: MagentoAuthRequest): MagentoAuthResult {
      const p = oauthParams(req)
      if (p) return oauth(req, p)
      return bearer(req) ?? { kind: 'anonymous' }
    },
    /** nonces remembered for a consumer (tests prove single use) */
    noncesOf: (consumerId: number) => nonces.get(consumerId)?.size ?? 0,
  }
}

/** Does the integration hold this ACL resource? */
export function allowed(integration: MagentoMockIntegration, resource: string): boolean {
  return integration.resources === 'all' || integration.resources.includes(resource)
}
