/**
 * Where the X-Shopify-Access-Token comes from. Since 2026-01-01 merchants make apps in the Dev
 * Dashboard; such an app trades its client ID and secret for a token valid 86 399 s by the
 * client-credentials grant (POST /admin/oauth/access_token). Legacy custom apps made before
 * that keep their `shpat_…` token, sent as is (it does not expire). A granted token is renewed
 * shortly before its expiry and once more when the shop refuses it (401) mid-fetch.
 */
import type { SourceTransport } from '../http/source-transport.ts'
import { OAuthError, TokenGrant } from './shopify.types.ts'

export type ShopifyAuthMode = 'client_credentials' | 'access_token'

export interface ShopifyAuthCredentials {
  domain: string
  clientId?: string
  clientSecret?: string
  accessToken?: string
}

export interface ShopifyTokenSource {
  readonly mode: ShopifyAuthMode
  /** the token to send now: granted (or renewed) first when needed */
  current(): Promise<string>
  /** the shop refused `token`: true when a new one was granted, false when there is no other way in */
  renew(token: string): Promise<boolean>
  /** tokens granted so far */
  readonly grants: number
}

/** the grant's lifetime when the answer does not say (Shopify's documented 86 399 s) */
const DEFAULT_LIFETIME_S = 86_399
/** renew this long before expiry: 5 minutes, or a tenth of a short lifetime */
const renewMarginMs = (lifetimeMs: number) => Math.min(300_000, lifetimeMs / 10)

/** OAuth errors meaning "these app credentials do not open this shop" */
const REFUSALS = new Set(['invalid_client', 'unauthorized_client', 'invalid_grant', 'access_denied', 'shop_not_permitted', 'app_not_installed', 'invalid_request'])

const isHtml = (text: string) => /^\s*</.test(text)

/**
 * @param elapsedMs ms since the client started, on the clock its waits run on (so that a test's
 *   fake clock ages the token the way the mock's clock does)
 */
export function createTokenSource(creds: ShopifyAuthCredentials, t: SourceTransport, elapsedMs: () => number): ShopifyTokenSource {
  const domain = creds.domain.replace(/\/+$/, '')
  if (creds.accessToken) {
    const token = creds.accessToken
    return { mode: 'access_token', current: async () => token, renew: async () => false, grants: 0 }
  }
  const { clientId, clientSecret } = creds
  if (!clientId || !clientSecret) throw t.fail('SOURCE_AUTH_FAILED', 'give either a client ID and client secret, or an access token')

  let token: { value: string; renewAt: number } | null = null
  let grants = 0
  /** one grant at a time, shared by concurrent callers */
  let pending: Promise<string> | null = null

  async function grant(): Promise<string> {
    const body = new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId!, client_secret: clientSecret! })
    const got = await t.withRetries(async (waits) => {
      for (;;) {
        const r = await t.exchange(`${domain}/admin/oauth/access_token`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
          body: body.toString(),
        })
        if (r.status === 429) {
          await t.rateLimitWait(r, waits)
          continue
        }
        if (r.status >= 500) throw t.serverError(r, 'POST /admin/oauth/access_token')
        const ok = TokenGrant.safeParse(r.json)
        if (r.status === 200 && ok.success) return ok.data
        const err = OAuthError.safeParse(r.json)
        const said = err.success ? `${err.data.error}${err.data.error_description ? `: ${err.data.error_description}` : ''}` : `HTTP ${r.status}`
        if (err.success && r.status >= 400 && r.status < 500) {
          if (err.data.error === 'shop_not_permitted') {
            throw t.fail('SOURCE_AUTH_FAILED', `Shopify refused the client-credentials grant for this shop (${said}); the app and the shop must belong to the same organization in the Dev Dashboard`)
          }
          if (REFUSALS.has(err.data.error)) throw t.fail('SOURCE_AUTH_FAILED', `Shopify refused the app's client ID or secret (${said})`)
          throw t.fail('SOURCE_BAD_RESPONSE', `Shopify refused the token request (${said})`)
        }
        if (r.status === 401 || r.status === 403) throw t.fail('SOURCE_AUTH_FAILED', `the shop refused the token request (${said})`)
        // a cut-off answer is worth another try; a web page or someone else's JSON is not
        if (r.status === 200 && r.json === undefined && !isHtml(r.text)) throw t.fail('SOURCE_BAD_RESPONSE', 'the shop sent broken JSON for the token request', true)
        throw t.fail('SOURCE_NOT_A_SHOP', `no Shopify token endpoint at /admin/oauth/access_token (${r.status === 200 ? 'an answer without a token' : said})`)
      }
    })
    t.addSecret(got.access_token)
    grants++
    const lifetimeMs = (got.expires_in ?? DEFAULT_LIFETIME_S) * 1000
    token = { value: got.access_token, renewAt: elapsedMs() + lifetimeMs - renewMarginMs(lifetimeMs) }
    return got.access_token
  }

  function fresh(): Promise<string> {
    pending ??= grant().finally(() => {
      pending = null
    })
    return pending
  }

  return {
    mode: 'client_credentials',
    current: async () => (token && elapsedMs() < token.renewAt ? token.value : fresh()),
    renew: async (refused) => {
      // another caller may have renewed it already
      if (token && token.value !== refused) return true
      token = null
      await fresh()
      return true
    },
    get grants() {
      return grants
    },
  }
}
