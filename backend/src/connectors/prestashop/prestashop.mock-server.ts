/**
 * A faithful, strict stand-in for a PrestaShop shop's Webservice (webservice/dispatcher.php +
 * WebserviceRequest.php): Basic `KEY:` or `ws_key` auth, the dispatcher's plain-text 401,
 * error codes 17/18/20/21/22/26/25 with the shop's own bodies, per-resource key permissions,
 * JSON only when asked exactly, the list parameters of prestashop.mock-query.ts, and a fault
 * plan that can change while it runs. In-process via `fetch(req)`, or over real HTTP via
 * startPrestaShopMock. Its customers carry realistic passwd / secure_key / reset tokens.
 */
import type { HttpBindings } from '@hono/node-server'
import { Hono } from 'hono'
import { ADDRESS_FIELDS, COUNTRY_FIELDS, CUSTOMER_FIELDS, GROUP_FIELDS, LANGUAGE_FIELDS, type PrestaShopDataset } from './prestashop.records.ts'
import { partitionPoint, type KeyOrdered } from '../mock-kit/key-order.ts'
import { applyListQuery, byId, didYouMean, WsError, type ResourceShape, type Row } from './prestashop.mock-query.ts'
import { renderErrors, renderList, renderOne, shapeRow, type JsonTypes, type OutputFormat, type RenderContext } from './prestashop.mock-render.ts'
import { applyFault, nextFault, type FaultKind, type PrestaShopFaults } from './prestashop.mock-faults.ts'
import { deleteCustomer, registerCustomer } from './prestashop.mock-data.ts'

export type { PrestaShopFaults, FaultKind }

export type WsMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

/** An access key of Advanced Parameters > Webservice: its resources and the methods ticked for each. */
export interface PrestaShopKey {
  key: string
  /** false: the key exists but is not enabled */
  active?: boolean
  resources: Partial<Record<string, WsMethod[]>>
}

export interface PrestaShopMockOptions {
  data: PrestaShopDataset
  keys: PrestaShopKey[]
  /** 'numbers': 8.1 on PHP 8.1 (integer columns as JSON numbers); 'strings' (default): 8.2 */
  jsonTypes?: JsonTypes
  /** false: "Enable PrestaShop's webservice" is No (503, code 22) */
  webservice?: boolean
  /** false: the server has no /api rewrite rule; only webservice/dispatcher.php answers */
  rewrite?: boolean
  faults?: PrestaShopFaults
  /** the PSWS-Version header */
  version?: string
}

export interface PrestaShopMockState {
  requests: number
  /** requests that reached the Webservice, by resource ('' for the API root) */
  byResource: Record<string, number>
  /** requests answered with an injected fault */
  faulted: number
  /** customer rows sent carrying a passwd (proof the secrets really went out) */
  secretsSent: number
}

export interface PrestaShopMock {
  fetch(req: Request): Promise<Response>
  state: PrestaShopMockState
  data: PrestaShopDataset
  setFaults(f: PrestaShopFaults): void
  /** the next `n` requests get `kind` (rate_limit asks for `retryAfterSeconds`), then the shop behaves again */
  failNext(n: number, kind: FaultKind, retryAfterSeconds?: number): void
  setWebservice(enabled: boolean): void
  /** a customer registers now (id above all, one address); answers its id */
  registerCustomer(): string
  /** the customer is deleted: gone with its addresses (`soft`: kept with deleted "1", as with orders) */
  deleteCustomer(id: number, soft?: boolean): void
}

const RESOURCES: Record<string, ResourceShape & { key: keyof PrestaShopDataset; node: string }> = {
  customers: { key: 'customers', node: 'customer', fields: CUSTOMER_FIELDS, i18n: [] },
  addresses: { key: 'addresses', node: 'address', fields: ADDRESS_FIELDS, i18n: [] },
  countries: { key: 'countries', node: 'country', fields: COUNTRY_FIELDS, i18n: ['name'] },
  languages: { key: 'languages', node: 'language', fields: LANGUAGE_FIELDS, i18n: [] },
  groups: { key: 'groups', node: 'group', fields: GROUP_FIELDS, i18n: ['name'] },
}
/** the rest of WebserviceRequest::getResources(): known to the shop, not served by this mock */
const OTHER_RESOURCES = (
  'attachments carriers cart_rules carts categories combinations configurations contacts content_management_system currencies ' +
  'customer_messages customer_threads customizations deliveries employees guests image_types images manufacturers messages ' +
  'order_carriers order_cart_rules order_details order_histories order_invoices order_payments order_slip order_states orders ' +
  'price_ranges product_customization_fields product_feature_values product_features product_option_values product_options ' +
  'product_suppliers products search shop_groups shop_urls shops specific_price_rules specific_prices states stock_availables ' +
  'stock_movement_reasons stock_movements stocks supply_orders suppliers tags tax_rule_groups tax_rules taxes ' +
  'translated_configurations warehouses weight_ranges zones'
).split(' ')
const ALL_RESOURCES = [...Object.keys(RESOURCES), ...OTHER_RESOURCES].sort()

const REALM = 'Basic realm="Welcome to PrestaShop Webservice, please enter the authentication key as the login. No password required."'
const HTML_404 = '<!DOCTYPE html>\n<html><head><title>404 Not Found</title></head><body><h1>Not Found</h1><p>The requested URL was not found on this server.</p></body></html>'

type Env = { Bindings: Partial<HttpBindings> }

/** the in-process handler with the node bindings, for startPrestaShopMock */
export const mockHandlers = new WeakMap<PrestaShopMock, (req: Request, env?: Partial<HttpBindings>) => Promise<Response>>()

export function createPrestaShopMock(opts: PrestaShopMockOptions): PrestaShopMock {
  const state: PrestaShopMockState = { requests: 0, byResource: {}, faulted: 0, secretsSent: 0 }
  let faults: PrestaShopFaults = { ...opts.faults }
  const queued: Array<{ kind: FaultKind; seconds: number }> = []
  let enabled = opts.webservice !== false

  const app = new Hono<Env>()
  if (opts.rewrite !== false) app.all('/api/*', (c) => webservice(c.req.raw, new URL(c.req.url).pathname.replace(/^\/api\/?/, '')))
  app.all('/api', (c) => (opts.rewrite === false ? c.html(HTML_404, 404) : webservice(c.req.raw, '')))
  app.all('/webservice/dispatcher.php', (c) => webservice(c.req.raw, new URL(c.req.url).searchParams.get('url') ?? ''))
  app.notFound((c) => c.html(HTML_404, 404))

  function answer(status: number, body: { body: string; type: string }, headers: Record<string, string> = {}): Response {
    return new Response(body.body, { status, headers: { 'Content-Type': body.type, 'X-Powered-By': 'PrestaShop Webservice', ...headers } })
  }

  function webservice(req: Request, path: string): Response {
    const url = new URL(req.url)
    const params = new URLSearchParams(url.searchParams)
    params.delete('url')
    const raw = keyOf(req, params)
    if (raw === null) {
      // dispatcher.php: no key at all is answered before PrestaShop starts
      return new Response('401 Unauthorized', { status: 401, headers: { 'WWW-Authenticate': REALM, 'Content-Type': 'text/html; charset=UTF-8' } })
    }
    const format: OutputFormat = formatOf(req, params)
    const [resource = '', id] = path.split('/').filter((s, i) => i === 0 || s !== '')
    state.byResource[resource] = (state.byResource[resource] ?? 0) + 1
    const fail = (e: WsError | WsError[], headers: Record<string, string> = {}) => {
      const list = [e].flat()
      return answer(list.at(-1)!.status, renderErrors(list.map((x) => ({ code: x.code, message: x.message })), { format }), headers)
    }
    if (!enabled) return fail(new WsError(503, 22, 'The PrestaShop webservice is disabled. Please activate it in the PrestaShop Back Office'))
    const key = raw.trim()
    const found = opts.keys.find((k) => k.key === key)
    const perms = found && found.active !== false ? found.resources : null
    const authErrors: WsError[] = []
    if (key === '') authErrors.push(new WsError(401, 17, 'Authentication key is empty'))
    else if (key.length !== 32) authErrors.push(new WsError(401, 18, 'Invalid authentication key format'))
    else {
      if (!perms) authErrors.push(new WsError(401, 20, 'Authentification key is not active'))
      if (!perms || Object.keys(perms).length === 0) authErrors.push(new WsError(401, 21, 'No permission for this authentication key'))
    }
    if (authErrors.length > 0) return fail(authErrors, { 'WWW-Authenticate': REALM })
    const version = { 'PSWS-Version': opts.version ?? '8.2.0' }
    if (resource !== '' && !ALL_RESOURCES.includes(resource)) return fail(didYouMean(400, `Resource of type "${resource}" does not exists`, resource, ALL_RESOURCES, 27), version)
    if (resource !== '' && !perms![resource]) return fail(new WsError(401, 26, `Resource of type "${resource}" is not allowed with this authentication key`), version)
    if (resource !== '' && !perms![resource]!.includes(req.method as WsMethod)) {
      return fail(new WsError(405, 25, `Method ${req.method} is not allowed for the resource ${resource} with this authentication key`), version)
    }
    const ctx: RenderContext = { format, jsonTypes: opts.jsonTypes ?? 'strings', languages: mock.data.languages.map((l) => l.id) }
    // the API root: the resources this key may use (the shop's JSON writer lists their names)
    if (resource === '') {
      const names = Object.keys(perms!)
      const root = format === 'JSON' ? { body: JSON.stringify(names), type: 'application/json' } : { body: `<prestashop><api>${names.map((n) => `<${n}/>`).join('')}</api></prestashop>`, type: 'text/xml;charset=utf-8' }
      return answer(200, root, version)
    }
    const r = RESOURCES[resource]
    if (!r) return fail(new WsError(501, 124, `The resource "${resource}" is not served by this mock`), version)
    // the id order is kept between requests (a copy sorted per request made paging quadratic)
    const all = mock.data[r.key] as unknown as Row[]
    const ordered = byId.of(all) ?? undefined
    const rows = ordered?.rows ?? all.slice().sort((a, b) => Number(a.id) - Number(b.id))
    try {
      if (id !== undefined) {
        const row = ordered ? findRow(ordered, id) : rows.find((x) => String(x.id) === id)
        if (!row) return new Response(null, { status: 404, headers: { 'X-Powered-By': 'PrestaShop Webservice', ...version } })
        const shaped = shapeRow(row, r.fields, params.has('display') ? applyListQuery([row], r, params).display : 'full', ctx)
        if ('passwd' in shaped) state.secretsSent++
        return answer(200, renderOne(r.node, shaped, ctx), version)
      }
      const q = applyListQuery(rows, r, params, ordered)
      const shaped = q.rows.map((row) => shapeRow(row, r.fields, q.display, ctx))
      state.secretsSent += shaped.filter((s) => typeof s.passwd === 'string' && s.passwd !== '').length
      return answer(200, renderList(resource, r.node, shaped, q.display, ctx), version)
    } catch (e) {
      if (e instanceof WsError) return fail(e, version)
      throw e
    }
  }

  async function handle(req: Request, env?: Partial<HttpBindings>): Promise<Response> {
    const n = ++state.requests
    const fault = nextFault(faults, queued, n)
    if (fault) state.faulted++
    return applyFault(fault, { req, env, faults, format: formatOf(req, new URL(req.url).searchParams), serve: () => app.fetch(req, env ?? {}) })
  }

  const mock: PrestaShopMock = {
    fetch: (req) => handle(req),
    state,
    data: opts.data,
    setFaults: (f) => void (faults = { ...f }),
    failNext: (n, kind, seconds = 1) => {
      for (let i = 0; i < n; i++) queued.push({ kind, seconds })
    },
    setWebservice: (on) => void (enabled = on),
    registerCustomer: () => registerCustomer(mock.data),
    deleteCustomer: (id, soft = false) => deleteCustomer(mock.data, id, soft),
  }
  mockHandlers.set(mock, handle)
  return mock
}

/** the first row (in id order) whose id reads exactly `id`, by a binary search on the id */
function findRow(ordered: KeyOrdered<Row>, id: string): Row | undefined {
  if (!/^\d+$/.test(id)) return ordered.rows.find((x) => String(x.id) === id)
  const k = Number(id)
  for (let i = partitionPoint(ordered.rows, (x) => byId.key(x) < k); i < ordered.rows.length && byId.key(ordered.rows[i]!) === k; i++) {
    if (String(ordered.rows[i]!.id) === id) return ordered.rows[i]
  }
  return undefined
}

/** the dispatcher's key: the Basic login (password ignored), else `ws_key`; null: none given */
function keyOf(req: Request, params: URLSearchParams): string | null {
  const basic = /Basic\s+(.*)$/i.exec(req.headers.get('authorization') ?? '')
  if (basic) return Buffer.from(basic[1]!.trim(), 'base64').toString('utf8').split(':')[0]!.replace(/<[^>]*>/g, '')
  return params.get('ws_key')
}

/** WebserviceRequest::getOutputObject(): Io-Format, Output-Format headers, then the query; only "JSON" exactly switches */
export function formatOf(req: Request, params: URLSearchParams): OutputFormat {
  const asked = req.headers.get('io-format') ?? req.headers.get('output-format') ?? params.get('output_format') ?? params.get('io_format')
  return asked === 'JSON' ? 'JSON' : 'XML'
}
