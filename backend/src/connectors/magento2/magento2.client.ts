/**
 * Magento 2 REST client on the shared transport: every attempt signed anew with the
 * integration's four values (magento2.auth.ts), host 429s waited out, 5xx retried, and Magento's
 * `{"message","parameters"}` answers mapped to SourceError codes, placeholders filled. Every
 * call goes through `http.fetch` (the engine's guarded fetch), never the global one.
 *
 * Base `${domain}/rest/V1`: without a store code Magento serves the default store view; a
 * code in the path (`/rest/default/V1`) fails on shops whose default view was renamed, and
 * `/rest/all/` refuses GET (400). Customers are global to the store views anyway. `/rest` is a
 * web server rewrite to index.php; where it is missing, `${domain}/index.php/rest/V1` is tried
 * once and kept if Magento answers there.
 */
import { SourceError, type SourceHttpOptions } from '../connector.ts'
import { createSourceTransport, type Exchange } from '../http/source-transport.ts'
import { magentoSigner, queryString, type MagentoIntegration, type SignerOptions } from './magento2.auth.ts'
import { errorText, MagentoErrorBody, MagentoSearchResult } from './magento2.types.ts'

export interface MagentoClientCredentials extends MagentoIntegration {
  domain: string
}

export type Params = Array<[string, string]>

/** where the REST API answers: `/rest` (the rewrite) or `/index.php/rest` (the front controller itself) */
export type MagentoBase = 'rest' | 'index.php'

export interface MagentoClient {
  /** one GET of `/rest/V1${route}`; answers the parsed JSON of a 200 */
  get(route: string, params: Params, what: string): Promise<unknown>
  /** one page of a …/search route: `{items, total_count}` */
  search(route: string, params: Params, what: string): Promise<MagentoSearchResult>
  /** the base Magento answered at (null before it did) */
  readonly base: MagentoBase | null
}

/** Webapi AuthorizationException::NOT_AUTHORIZED: the integration lacks the route's ACL resource (or is inactive) */
export const NOT_AUTHORIZED = "The consumer isn't authorized to access %resources."

export const NO_ROUTE = 'Request does not match any route.'

/** The integration may not use a route (401 %resources): fatal for customers, skippable for lookups. */
export class MagentoDeniedError extends SourceError {
  constructor(
    readonly resources: string,
    message: string,
  ) {
    super('SOURCE_API_ACCESS_DENIED', message, false)
  }
}

/** 400s of OauthInputException: the request's OAuth parameters, not the search, were refused */
function isOAuthInput(body: MagentoErrorBody): boolean {
  const field = (p: unknown) => String((p as { fieldName?: unknown } | undefined)?.fieldName ?? '')
  if (/^Signature method %1 is not supported|^The token length is invalid|Oauth version isn't supported/.test(body.message)) return true
  if (body.message.startsWith('"%fieldName" is required')) return field(body.parameters).startsWith('oauth_')
  return body.message === 'One or more input exceptions have occurred.' && (body.errors ?? []).some((e) => field(e.parameters).startsWith('oauth_'))
}

const looksLikeJson = (r: Exchange) => r.json === undefined && /^[[{]/.test(r.text.trimStart())

/** not Magento's REST API speaking: a web page, a body that is no JSON, a 404 without Magento's body */
function notMagento(r: Exchange): boolean {
  if (r.status === 429 || r.status >= 500) return false
  if (r.json === undefined) return !looksLikeJson(r)
  return r.status === 404 && !MagentoErrorBody.safeParse(r.json).success
}

function kindOf(r: Exchange): string {
  if (r.json !== undefined) return 'JSON'
  const head = r.text.trimStart().slice(0, 200).toLowerCase()
  if (head.startsWith('<!doctype html') || head.startsWith('<html')) return 'an HTML page'
  return head === '' ? 'an empty body' : 'a body that is not JSON'
}

export interface MagentoClientOptions {
  signer?: SignerOptions
  /** where Magento answered before (a resume): no probing */
  base?: MagentoBase
}

export function createMagentoClient(creds: MagentoClientCredentials, http: SourceHttpOptions, opts: MagentoClientOptions = {}): MagentoClient {
  const root = creds.domain.replace(/\/+$/, '')
  const t = createSourceTransport(http, [creds.consumerKey, creds.consumerSecret, creds.accessToken, creds.accessTokenSecret])
  const { fail } = t
  const sign = magentoSigner(creds, opts.signer)
  let base: MagentoBase | null = opts.base ?? null
  /** /index.php/rest was tried once already (or need not be) */
  let probed = opts.base !== undefined
  /** Magento's REST API answered at least once (its JSON): from then on a web page is a glitch, not another site */
  let answered = opts.base !== undefined

  /** one signed exchange; signed per attempt: Magento keeps every nonce and refuses one it has seen */
  async function once(where: MagentoBase, route: string, params: Params, waits: { n: number }): Promise<Exchange> {
    for (;;) {
      const url = `${root}${where === 'index.php' ? '/index.php' : ''}/rest/V1${route}${params.length > 0 ? `?${queryString(params)}` : ''}`
      const headers = { Accept: 'application/json', Authorization: sign('GET', url, params) }
      const r = await t.exchange(url, { method: 'GET', headers })
      if (r.status !== 429) return r
      // core Magento limits no customer route: this is the host's, a CDN's or a WAF's limiter
      await t.rateLimitWait(r, waits)
    }
  }

  async function get(route: string, params: Params, what: string): Promise<unknown> {
    return t.withRetries(async (waits) => {
      let r = await once(base ?? 'rest', route, params, waits)
      if (base === null && !probed && notMagento(r)) {
        // no /rest rewrite on this server: the front controller answers at /index.php/rest, tried once
        probed = true
        const alt = await once('index.php', route, params, waits)
        if (!notMagento(alt)) {
          base = 'index.php'
          r = alt
        }
      }
      if (base === null && !notMagento(r)) base = 'rest'
      return read(r, what)
    })
  }

  /** the JSON of a 200, or the SourceError the answer means */
  function read(r: Exchange, what: string): unknown {
    const body = MagentoErrorBody.safeParse(r.json)
    if (r.status >= 500) throw t.serverError(r, what)
    if (r.status === 200) {
      if (r.json !== undefined) return r.json
      // a body cut short on its way is worth another try; a web page is another site (or a CDN's page)
      if (looksLikeJson(r)) throw fail('SOURCE_BAD_RESPONSE', `the shop sent broken JSON for ${what}`, true)
      if (answered) throw fail('SOURCE_BAD_RESPONSE', `the shop sent ${kindOf(r)} for ${what} (HTTP 200)`, true)
      throw fail('SOURCE_NOT_A_SHOP', `no Magento REST API at /rest/V1 (${kindOf(r)} answered ${what})`)
    }
    const before = answered
    if (body.success) answered = true
    const said = body.success ? `Magento said "${errorText(body.data)}"` : `HTTP ${r.status}, ${kindOf(r)}`
    if (r.status === 401 && body.success) {
      if (body.data.message === NOT_AUTHORIZED) {
        const resources = String((body.data.parameters as { resources?: unknown } | undefined)?.resources ?? '')
        throw new MagentoDeniedError(resources, t.redact(`the integration may not read ${what} (${said}): tick the resource on its API tab and activate it again`))
      }
      // a nonce seen before (a proxy replaying our request): a new attempt signs with a new one
      if (/nonce is already being used/i.test(body.data.message)) throw fail('SOURCE_AUTH_FAILED', `Magento refused a used nonce for ${what} (${said})`, true)
      if (/error occurred validating the nonce/i.test(body.data.message)) {
        throw fail('SOURCE_AUTH_FAILED', `Magento refused the request's nonce or timestamp for ${what} (${said}); a timestamp more than 10 minutes ahead of the shop's clock is refused this way`)
      }
      throw fail('SOURCE_AUTH_FAILED', `Magento refused the integration's OAuth signature or token for ${what} (${said})`)
    }
    if (r.status === 401) throw fail('SOURCE_AUTH_FAILED', `the web server refused the request before Magento saw it (${said}): a password-protected site?`)
    if (r.status === 400 && body.success && isOAuthInput(body.data)) throw fail('SOURCE_AUTH_FAILED', `Magento refused the request's OAuth parameters for ${what} (${said})`)
    if (r.status === 403) throw fail('SOURCE_API_ACCESS_DENIED', `the shop (or a firewall in front of it) refused ${what} (${said})`)
    // Router::match: "Request does not match any route." — a REST API without Magento 2's customer routes
    if (r.status === 404 && (!before || body.data?.message === NO_ROUTE)) throw fail('SOURCE_NOT_A_SHOP', `no Magento 2 REST route for ${what} at /rest/V1 (${said})`)
    throw fail('SOURCE_BAD_RESPONSE', `the shop refused ${what} (HTTP ${r.status}; ${said})`)
  }

  async function search(route: string, params: Params, what: string): Promise<MagentoSearchResult> {
    const json = await get(route, params, what)
    const parsed = MagentoSearchResult.safeParse(json)
    if (parsed.success) {
      answered = true
      return parsed.data
    }
    throw fail(answered ? 'SOURCE_BAD_RESPONSE' : 'SOURCE_NOT_A_SHOP', `${what}: JSON that is not a Magento search result`)
  }

  return {
    get,
    search,
    get base() {
      return base
    },
  }
}
