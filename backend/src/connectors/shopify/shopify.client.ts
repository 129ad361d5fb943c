/**
 * Shopify GraphQL Admin API client on the shared transport: one POST per document to the pinned
 * version's /graphql.json, the token from shopify.auth.ts (renewed once on a 401), pacing by the
 * cost bucket (wait until it holds the requested cost), THROTTLED answers waited out for exactly
 * (requested − available) / restoreRate seconds, a host's 429 by its Retry-After, retried 5xx,
 * and Shopify's answers mapped to SourceError codes. A plain POST rather than
 * @shopify/admin-api-client: see the README (its URL is forced to https, its retry sleeps
 * Retry-After as milliseconds). Every call goes through `http.fetch`, never the global fetch.
 */
import { SourceError, type SourceHttpOptions } from '../connector.ts'
import { createSourceTransport, MAX_RATE_LIMIT_WAITS, type Exchange, type SourceTransport } from '../http/source-transport.ts'
import { createTokenSource, type ShopifyAuthCredentials, type ShopifyTokenSource } from './shopify.auth.ts'
import { CostBucket, waitForCostMs } from './shopify.bucket.ts'
import { SHOPIFY_API_VERSION } from './shopify.query.ts'
import { GraphQLEnvelope, type CostExtension, type GraphQLError } from './shopify.types.ts'

export interface ShopifyQueryOptions {
  /** the document's requested cost as we calculate it (pacing before the first answer says) */
  cost: number
  /** for messages, e.g. "the customers page" */
  what: string
}

export interface ShopifyAnswer {
  data: Record<string, unknown>
  cost: CostExtension | null
}

export interface ShopifyClient {
  query(document: string, variables: Record<string, unknown>, o: ShopifyQueryOptions): Promise<ShopifyAnswer>
  readonly auth: ShopifyTokenSource
  readonly bucket: CostBucket
  readonly transport: SourceTransport
}

/**
 * Shopify refused a query as too dear: above the single-query limit (MAX_COST_EXCEEDED), or above
 * the whole bucket. The caller asks for fewer records; `maxCost` is what fits.
 */
export class ShopifyCostError extends SourceError {
  constructor(
    message: string,
    readonly cost: number,
    readonly maxCost: number,
  ) {
    super('SOURCE_BAD_RESPONSE', message, false)
    this.name = 'ShopifyCostError'
  }
}

const isHtml = (text: string) => /^\s*</.test(text)
const codeOf = (e: GraphQLError) => (typeof e.extensions?.code === 'string' ? e.extensions.code : '')
const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null)

export function createShopifyClient(creds: ShopifyAuthCredentials, http: SourceHttpOptions, version = SHOPIFY_API_VERSION): ShopifyClient {
  const domain = creds.domain.replace(/\/+$/, '')
  const url = `${domain}/admin/api/${version}/graphql.json`
  const t = createSourceTransport(http, [creds.clientSecret ?? '', creds.accessToken ?? ''])
  const started = performance.now()
  // an injected sleep owns the clock (tests on fake time): only slept time ages tokens and refills
  const elapsedMs = () => (http.sleep ? t.sleptMs : performance.now() - started)
  const auth = createTokenSource(creds, t, elapsedMs)
  const bucket = new CostBucket(elapsedMs)

  async function wait(ms: number): Promise<void> {
    t.emit({ type: 'rate_limit_wait', ms })
    await t.nap(ms)
  }

  /** requested costs Shopify reported, by document and page size: they beat our own estimate */
  const learned = new Map<string, number>()

  async function query(document: string, variables: Record<string, unknown>, o: ShopifyQueryOptions): Promise<ShopifyAnswer> {
    const key = `${document}\n${String(variables.first ?? '')}`
    return t.withRetries(async (waits) => {
      let reauthed = false
      for (;;) {
        // pacing: the bucket must hold the requested cost before Shopify runs the query
        const ahead = bucket.waitFor(learned.get(key) ?? o.cost)
        if (ahead > 0) await wait(ahead)
        const token = await auth.current()
        const r = await t.exchange(url, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'X-Shopify-Access-Token': token },
          body: JSON.stringify({ query: document, variables }),
        })
        if (r.status === 429) {
          // not GraphQL's way (that is THROTTLED), but a proxy's or REST-style limit says how long
          await t.rateLimitWait(r, waits)
          continue
        }
        if (r.status >= 500) throw t.serverError(r, o.what)
        const env = GraphQLEnvelope.safeParse(r.json)
        const cost = env.success ? (env.data.extensions?.cost ?? null) : null
        if (cost) {
          bucket.note(cost.throttleStatus)
          learned.set(key, cost.requestedQueryCost)
        }
        if (r.status === 401) {
          // a granted token died (expiry, revocation): one new grant, then the refusal stands
          if (!reauthed && (await auth.renew(token))) {
            reauthed = true
            t.emit({ type: 'reauth' })
            continue
          }
          throw t.fail('SOURCE_AUTH_FAILED', `Shopify refused the access token (${errorsText(r, env)})`)
        }
        if (r.status !== 200) throw refusal(r, env, o.what)
        if (r.json === undefined) {
          // a cut-off body is worth another try; a web page is someone else's site
          if (isHtml(r.text)) throw t.fail('SOURCE_NOT_A_SHOP', `a web page answered ${o.what}, not the Shopify GraphQL Admin API`)
          throw t.fail('SOURCE_BAD_RESPONSE', `the shop sent broken JSON for ${o.what}`, true)
        }
        if (!env.success) throw t.fail('SOURCE_NOT_A_SHOP', `no Shopify GraphQL answer to ${o.what}`)
        const errors = Array.isArray(env.data.errors) ? env.data.errors : []
        const codes = errors.map(codeOf)
        if (codes.includes('THROTTLED')) {
          if (++waits.n > MAX_RATE_LIMIT_WAITS) throw t.fail('SOURCE_RATE_LIMITED', `Shopify kept throttling ${o.what} (${MAX_RATE_LIMIT_WAITS} waits)`)
          if (!cost) {
            await wait(1_000)
            continue
          }
          const s = cost.throttleStatus
          if (cost.requestedQueryCost > s.maximumAvailable) {
            throw new ShopifyCostError(t.redact(`${o.what} costs ${cost.requestedQueryCost} points, more than the shop's whole bucket (${s.maximumAvailable})`), cost.requestedQueryCost, s.maximumAvailable)
          }
          // exactly the shortfall: (requested − available) / restoreRate seconds; these waits are no retries
          await wait(Math.max(1, waitForCostMs(cost.requestedQueryCost, s)))
          continue
        }
        if (codes.includes('MAX_COST_EXCEEDED')) {
          const e = errors[codes.indexOf('MAX_COST_EXCEEDED')]!
          const asked = num(e.extensions?.cost) ?? o.cost
          const max = num(e.extensions?.maxCost) ?? 1000
          throw new ShopifyCostError(t.redact(`Shopify refused ${o.what}: cost ${asked} above the single-query limit ${max}`), asked, max)
        }
        if (codes.includes('ACCESS_DENIED')) throw accessDenied(errors.filter((e) => codeOf(e) === 'ACCESS_DENIED'), o.what)
        if (codes.includes('INTERNAL_SERVER_ERROR')) throw t.fail('SOURCE_SERVER_ERROR', `Shopify reported an internal error for ${o.what}`, true)
        if (codes.includes('SHOP_INACTIVE')) throw t.fail('SOURCE_API_DISABLED', 'Shopify says the shop is not active (frozen, paused or closed)')
        if (errors.length > 0 || !env.data.data || typeof env.data.data !== 'object') {
          const said = errors.map((e) => e.message).join('; ') || 'no data'
          throw t.fail('SOURCE_BAD_RESPONSE', `Shopify refused ${o.what}: ${said}`)
        }
        return { data: env.data.data as Record<string, unknown>, cost }
      }
    })
  }

  function errorsText(r: Exchange, env: ReturnType<typeof GraphQLEnvelope.safeParse>): string {
    const e = env.success ? env.data.errors : undefined
    if (typeof e === 'string') return e
    if (Array.isArray(e)) return e.map((x) => x.message).join('; ')
    return `HTTP ${r.status}`
  }

  /** a non-200 GraphQL answer that is no 401, 429 or 5xx */
  function refusal(r: Exchange, env: ReturnType<typeof GraphQLEnvelope.safeParse>, what: string): SourceError {
    const said = errorsText(r, env)
    // 403: a scope the merchant has not approved ("[API] This action requires merchant approval for …")
    if (r.status === 403) return t.fail('SOURCE_API_ACCESS_DENIED', `Shopify refused ${what}: ${said}`)
    // 402 Payment Required (frozen shop, unpaid plan), 423 Locked (shop locked)
    if (r.status === 402 || r.status === 423) return t.fail('SOURCE_API_DISABLED', `Shopify refused the shop's API (HTTP ${r.status}: ${said})`)
    // 404 {"errors":"Not Found"}: no such shop, or an API version Shopify does not know
    if (r.status === 404 || !env.success || isHtml(r.text)) return t.fail('SOURCE_NOT_A_SHOP', `no Shopify GraphQL Admin API ${version} at this address (HTTP ${r.status})`)
    return t.fail('SOURCE_BAD_RESPONSE', `Shopify refused ${what}: HTTP ${r.status} (${said})`)
  }

  /** missing read_customers, or no approval for protected customer data: the admin fixes it in the app */
  function accessDenied(errors: GraphQLError[], what: string): SourceError {
    const said = errors.map((e) => e.message).join('; ')
    const protectedData = errors.some((e) => /not approved/i.test(e.message))
    const why = protectedData ? 'the app has no access to protected customer data' : 'the app lacks the read_customers scope'
    return t.fail('SOURCE_API_ACCESS_DENIED', `Shopify denied ${what}: ${why} (${said})`)
  }

  return { query, auth, bucket, transport: t }
}
