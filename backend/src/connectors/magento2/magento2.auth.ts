/**
 * How a request proves the integration, the way Magento checks it
 * (lib/internal/Magento/Framework/Oauth/Oauth.php::validateAccessTokenRequest and
 * Helper/Request.php): OAuth 1.0a with all four values, in the Authorization header only
 * (Magento reads no oauth_* from the query: without an `OAuth ` header the request is
 * anonymous), HMAC-SHA256 only (2.4.x refuses SHA1 with 400), a fresh nonce and timestamp
 * per attempt. The signed parameters are the oauth_* ones plus every query parameter, as
 * Magento decodes them (keys too: `searchCriteria[pageSize]`).
 */
import { createHmac, randomInt } from 'node:crypto'
import OAuth from 'oauth-1.0a'

export interface MagentoIntegration {
  consumerKey: string
  consumerSecret: string
  accessToken: string
  accessTokenSecret: string
}

/** RFC 3986 (rawurlencode): what Magento's signer (Laminas OAuth Http\Utility::urlEncode) uses */
export const rfc3986 = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)

/** `k=v&…`, keys and values RFC 3986-encoded (brackets as %5B/%5D; never `+` for a space) */
export function queryString(params: ReadonlyArray<readonly [string, string]>): string {
  return params.map(([k, v]) => `${rfc3986(k)}=${rfc3986(v)}`).join('&')
}

/**
 * The URL Magento signs: scheme://host[:port]/path, host lower-case, default port dropped, no
 * query (Laminas AbstractSignature::normaliseBaseSignatureUrl); WHATWG URL does the same.
 */
export function signatureBaseUrl(url: string): string {
  const u = new URL(url)
  return `${u.protocol}//${u.host}${u.pathname}`
}

const NONCE_ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'

export interface SignerOptions {
  /** seconds since epoch (the wall clock by default; Magento refuses > 600 s ahead of its own) */
  nowSeconds?: () => number
  nonce?: () => string
}

/**
 * Answers the `Authorization` value for one attempt. The library forms the base string
 * (method & URL & sorted encoded parameters) and the key (encoded consumer secret & encoded
 * token secret, as Magento's Laminas signer); we give it the decoded query as `data` so that
 * bracketed keys are encoded once, as Magento decodes them before signing.
 */
export function magentoSigner(k: MagentoIntegration, opts: SignerOptions = {}): (method: string, url: string, params: ReadonlyArray<readonly [string, string]>) => string {
  const oauth = new OAuth({
    consumer: { key: k.consumerKey, secret: k.consumerSecret },
    signature_method: 'HMAC-SHA256',
    hash_function: (base, key) => createHmac('sha256', key).update(base).digest('base64'),
  })
  const nowSeconds = opts.nowSeconds ?? (() => Math.floor(Date.now() / 1000))
  // crypto-random: Magento keeps every nonce of a consumer and refuses one it has seen
  const nonce = opts.nonce ?? (() => Array.from({ length: 32 }, () => NONCE_ALPHABET[randomInt(NONCE_ALPHABET.length)]).join(''))
  return (method, url, params) => {
    const data: OAuth.Data = {
      oauth_consumer_key: k.consumerKey,
      oauth_nonce: nonce(),
      oauth_signature_method: 'HMAC-SHA256',
      oauth_timestamp: nowSeconds(),
      oauth_token: k.accessToken,
      oauth_version: '1.0',
    }
    // the library merges the request data into the object it is given: hand it a copy
    const signature = oauth.getSignature({ url: signatureBaseUrl(url), method, data: Object.fromEntries(params) }, k.accessTokenSecret, { ...data })
    return oauth.toHeader({ ...data, oauth_signature: signature }).Authorization
  }
}
