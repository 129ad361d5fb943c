/**
 * WooCommerce REST (wc/v3) records: the wire shape the mock and the demo data emit (as
 * WC_REST_Customers_V2_Controller::get_formatted_item_data builds it) and tolerant zod parsers
 * for what the client accepts. Plugins filter the response (woocommerce_rest_prepare_customer),
 * so every field but `id` is parsed leniently: nulls, numbers and booleans instead of strings.
 */
import { z } from 'zod'

// ---- what a live shop sends --------------------------------------------------------------

export interface WooAddressRecord {
  first_name: string
  last_name: string
  company: string
  address_1: string
  address_2: string
  city: string
  state: string
  postcode: string
  country: string
  phone: string
}

export interface WooBillingRecord extends WooAddressRecord {
  email: string
}

export interface WooMetaRecord {
  id: number
  key: string
  value: unknown
}

export interface WooCustomerRecord {
  id: number
  /** "2017-03-21T16:09:28": the site's time zone, no offset */
  date_created: string
  date_created_gmt: string
  /** null when the user never had `last_update` meta */
  date_modified: string | null
  date_modified_gmt: string | null
  email: string
  first_name: string
  last_name: string
  role: string
  username: string
  billing: WooBillingRecord
  shipping: WooAddressRecord
  is_paying_customer: boolean
  avatar_url: string
  meta_data: WooMetaRecord[]
}

const blankAddress = (): WooAddressRecord => ({ first_name: '', last_name: '', company: '', address_1: '', address_2: '', city: '', state: '', postcode: '', country: '', phone: '' })

/** a customer as WooCommerce shows one who registered and never ordered */
export function blankWooCustomer(id: number): WooCustomerRecord {
  return {
    id,
    date_created: '',
    date_created_gmt: '',
    date_modified: null,
    date_modified_gmt: null,
    email: '',
    first_name: '',
    last_name: '',
    role: 'customer',
    username: '',
    billing: { ...blankAddress(), email: '' },
    shipping: blankAddress(),
    is_paying_customer: false,
    avatar_url: '',
    meta_data: [],
  }
}

// ---- tolerant parsers -------------------------------------------------------------------

/** any scalar → string (trimmed by the mapper); null, absent and objects → "" */
const text = z.unknown().optional().transform((v): string =>
  typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : '',
)

/** a WordPress user id: a positive integer, or its decimal string */
const userId = z.union([z.number().int().positive(), z.string().trim().regex(/^[1-9]\d*$/)]).transform((v) => Number(v))

/** "2017-03-21T16:09:28" (or with a space); null, empty and the zero date → null */
const date = z.unknown().optional().transform((v): string | null => {
  const s = typeof v === 'string' ? v.trim() : ''
  return /^\d{4}-\d{2}-\d{2}/.test(s) && !s.startsWith('0000') ? s : null
})

const flag = z.unknown().optional().transform((v): boolean => v === true || v === 1 || (typeof v === 'string' && ['1', 'true', 'yes'].includes(v.trim().toLowerCase())))

const addressFields = {
  first_name: text,
  last_name: text,
  company: text,
  address_1: text,
  address_2: text,
  city: text,
  state: text,
  postcode: text,
  country: text,
  phone: text,
}
/** a missing or null block reads as an empty one */
const block = <T extends z.ZodRawShape>(shape: T) =>
  z.preprocess((v) => (v && typeof v === 'object' && !Array.isArray(v) ? v : {}), z.object(shape))

export const WooAddress = block(addressFields)
export type WooAddress = z.output<typeof WooAddress>
export const WooBilling = block({ ...addressFields, email: text })
export type WooBilling = z.output<typeof WooBilling>

/** entries without a string key are dropped; the value stays as sent (strings, numbers, arrays…) */
const metaData = z.unknown().optional().transform((v): Array<{ key: string; value: unknown }> =>
  (Array.isArray(v) ? v : []).flatMap((m) => {
    if (!m || typeof m !== 'object') return []
    const { key, value } = m as { key?: unknown; value?: unknown }
    return typeof key === 'string' && key !== '' ? [{ key, value }] : []
  }),
)

export const WooCustomer = z.object({
  id: userId,
  date_created: date,
  date_created_gmt: date,
  date_modified: date,
  email: text,
  first_name: text,
  last_name: text,
  /** WC_Customer_Data_Store::read: the user's first role, 'customer' when it has none */
  role: text,
  username: text,
  billing: WooBilling,
  shipping: WooAddress,
  is_paying_customer: flag,
  meta_data: metaData,
})
export type WooCustomer = z.output<typeof WooCustomer>

/** the id alone, to place a row before anything else is parsed */
export const WooRowId = z.object({ id: userId })

/** WP_Error as WP_REST_Server renders it: {"code","message","data":{"status":401}} */
export const WooErrorBody = z.object({
  code: z.string().min(1),
  message: z.string().catch(''),
  data: z.unknown().optional(),
})
export type WooErrorBody = z.output<typeof WooErrorBody>
