/**
 * Tolerant parsers for what Magento's REST API answers: numbers may come as strings (custom
 * serializers, proxies), null fields are left out, extension attributes may be missing. Only
 * what the migration needs is declared (zod drops the rest).
 */
import { z } from 'zod'

const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]).optional()
/** any scalar as text; null or missing → "" */
const text = scalar.transform((v) => (v === null || v === undefined ? '' : String(v)))
/** a row's own id: a non-negative integer, as number or digits */
const rowId = z.union([z.string().trim().regex(/^\d+$/), z.number().int().nonnegative()]).transform((v) => Number(v))
/** a reference (group, store, address id); missing or junk → "" */
const refId = scalar.transform((v) => {
  const s = v === null || v === undefined ? '' : String(v).trim()
  return /^\d+$/.test(s) ? String(Number(s)) : ''
})
const flag = scalar.transform((v) => v === true || v === 1 || v === '1' || v === 'true')

export const MagentoAddress = z.object({
  id: refId,
  region: z
    .object({ region_code: text, region: text })
    .nullable()
    .optional()
    .transform((r) => ({ code: r?.region_code.trim() ?? '', name: r?.region.trim() ?? '' })),
  country_id: text,
  /** an array of lines; a plain string from odd serializers is one line */
  street: z
    .union([z.array(scalar), z.string(), z.null()])
    .optional()
    .transform((s) => (s === null || s === undefined ? [] : Array.isArray(s) ? s.map((x) => (x === null || x === undefined ? '' : String(x))) : [s])),
  company: text,
  telephone: text,
  postcode: text,
  city: text,
  firstname: text,
  lastname: text,
  vat_id: text,
  default_billing: flag,
  default_shipping: flag,
})
export type MagentoAddress = z.infer<typeof MagentoAddress>

export const MagentoCustomer = z.object({
  id: rowId,
  group_id: refId,
  default_billing: refId,
  default_shipping: refId,
  created_at: text,
  dob: text,
  email: text,
  firstname: text,
  lastname: text,
  store_id: refId,
  taxvat: text,
  /** an unreadable address is dropped, not the customer */
  addresses: z
    .array(z.unknown())
    .nullable()
    .optional()
    .transform((xs) => (xs ?? []).flatMap((a) => MagentoAddress.safeParse(a).data ?? [])),
  /** Newsletter's plugin on CustomerRepository::getList adds is_subscribed (no date) */
  extension_attributes: z
    .object({ is_subscribed: z.union([z.boolean(), z.number(), z.string()]).nullable().optional() })
    .nullable()
    .optional()
    .catch(undefined)
    .transform((e) => {
      const v = e?.is_subscribed
      return { isSubscribed: v === undefined || v === null ? null : v === true || v === 1 || v === '1' || v === 'true' }
    }),
})
export type MagentoCustomer = z.infer<typeof MagentoCustomer>

export const MagentoGroup = z.object({ id: rowId, code: text })
export type MagentoGroup = z.infer<typeof MagentoGroup>

export const MagentoStoreConfig = z.object({ id: rowId, code: text, locale: text })
export type MagentoStoreConfig = z.infer<typeof MagentoStoreConfig>

/** `{"items":[…],"search_criteria":{…},"total_count":N}` of every …/search route */
export const MagentoSearchResult = z.object({
  items: z.array(z.unknown()).nullable().transform((xs) => xs ?? []),
  total_count: z.union([z.number().int().nonnegative(), z.string().regex(/^\d+$/).transform(Number)]),
})
export type MagentoSearchResult = z.infer<typeof MagentoSearchResult>

/**
 * Webapi\Rest\Response::_renderMessages: `message` is the raw phrase (placeholders kept),
 * `parameters` its arguments (an object for %name, a list for %1…), `errors` for aggregates.
 */
export const MagentoErrorBody = z.object({
  message: z.string(),
  parameters: z.union([z.record(z.string(), z.unknown()), z.array(z.unknown())]).optional(),
  errors: z.array(z.object({ message: z.string(), parameters: z.unknown().optional() })).optional(),
})
export type MagentoErrorBody = z.infer<typeof MagentoErrorBody>

/**
 * Phrase\Renderer\Placeholder: `%name` from an object, `%1` = the first of a list (key + 1).
 * A longer name is replaced first, so %10 is not eaten by %1.
 */
export function fillPlaceholders(message: string, parameters: unknown): string {
  if (parameters === null || typeof parameters !== 'object') return message
  const pairs = Array.isArray(parameters)
    ? parameters.map((v, i): [string, unknown] => [String(i + 1), v])
    : Object.entries(parameters as Record<string, unknown>)
  let out = message
  for (const [k, v] of pairs.sort(([a], [b]) => b.length - a.length)) {
    out = out.split(`%${k}`).join(typeof v === 'string' || typeof v === 'number' ? String(v) : JSON.stringify(v))
  }
  return out
}

/** the body's message with its placeholders filled (and the aggregate's errors after it) */
export function errorText(body: MagentoErrorBody): string {
  const head = fillPlaceholders(body.message, body.parameters)
  const more = (body.errors ?? []).map((e) => fillPlaceholders(e.message, e.parameters)).filter((m) => m !== head)
  return more.length > 0 ? `${head} (${more.join('; ')})` : head
}
