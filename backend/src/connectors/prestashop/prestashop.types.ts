/**
 * Tolerant parsers for what the PrestaShop Webservice answers in JSON. 8.1 on PHP 8.1 sends
 * integer columns as JSON numbers, 8.2 as strings again; empty optional strings may be null,
 * and a single resource drops empty fields: every scalar is normalised, nothing is rejected
 * for its type.
 *
 * SECRETS: the shop hands out `passwd` (bcrypt), `secure_key` and `reset_password_token` with
 * every customer. zod strips keys a schema does not declare, so these schemas never declare
 * them (nor anything else the migration does not need): what the client keeps cannot hold them.
 */
import { z } from 'zod'

const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]).optional()

/** any scalar as text; null or missing → "" */
const text = scalar.transform((v) => (v === null || v === undefined ? '' : String(v)))
/** "1" / 1 / true → true; everything else (incl. missing) → false */
const flag = scalar.transform((v) => v === true || v === 1 || (typeof v === 'string' && v.trim() === '1'))
/** a row's own id: a non-negative integer, as number or digits */
const rowId = z.union([z.string().trim().regex(/^\d+$/), z.number().int().nonnegative()]).transform((v) => String(Number(v)))
/** a reference to another row; 0, "" or missing → "" */
const refId = scalar.transform((v) => {
  const s = v === null || v === undefined ? '' : String(v).trim()
  return s === '' || s === '0' ? '' : s
})

export const PrestaShopCustomer = z.object({
  id: rowId,
  id_default_group: refId,
  id_lang: refId,
  newsletter: flag,
  newsletter_date_add: text,
  lastname: text,
  firstname: text,
  email: text,
  birthday: text,
  company: text,
  active: flag,
  is_guest: flag,
  deleted: flag,
  date_add: text,
})
export type PrestaShopCustomer = z.infer<typeof PrestaShopCustomer>

export const PrestaShopAddress = z.object({
  id: rowId,
  id_customer: refId,
  id_country: refId,
  company: text,
  firstname: text,
  lastname: text,
  vat_number: text,
  address1: text,
  address2: text,
  postcode: text,
  city: text,
  phone: text,
  phone_mobile: text,
  deleted: flag,
})
export type PrestaShopAddress = z.infer<typeof PrestaShopAddress>

export const PrestaShopCountry = z.object({ id: rowId, iso_code: text })
export type PrestaShopCountry = z.infer<typeof PrestaShopCountry>

export const PrestaShopLanguage = z.object({ id: rowId, iso_code: text })
export type PrestaShopLanguage = z.infer<typeof PrestaShopLanguage>

/** a multilingual field: a plain string on a one-language shop, else [{id, value}] per language */
const i18n = z.union([
  z.array(z.object({ id: text, value: text })).transform((xs) => xs.map((x) => ({ lang: x.id.trim(), value: x.value }))),
  text.transform((value) => [{ lang: '', value }]),
])

export const PrestaShopGroup = z.object({ id: rowId, name: i18n })
export type PrestaShopGroup = z.infer<typeof PrestaShopGroup>

/** `{"errors":[{"code":26,"message":"…"}]}` */
export const PrestaShopErrorBody = z.object({
  errors: z.array(z.object({ code: scalar.transform((v) => Number(v)), message: text })).min(1),
})
export type PrestaShopErrorBody = z.infer<typeof PrestaShopErrorBody>

/**
 * A list answer: `{"customers":[…]}`, or a bare `[]` when nothing matched (the shop's JSON
 * writer encodes an empty result as an empty array). Null when it is neither.
 */
export function listRows(json: unknown, resource: string): unknown[] | null {
  if (Array.isArray(json)) return json.length === 0 ? [] : null
  if (json === null || typeof json !== 'object') return null
  const rows = (json as Record<string, unknown>)[resource]
  return Array.isArray(rows) ? rows : null
}
