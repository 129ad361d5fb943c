/**
 * Shoper REST records: the wire shape (what the mock and demo data emit, all scalars as
 * strings like a live shop) and tolerant zod parsers for what the client accepts.
 * Shoper mixes "0"/"1", 0/1 and true/false between endpoints and uses "0000-00-00 00:00:00"
 * for "no date", so every parser normalises instead of rejecting.
 */
import { z } from 'zod'

// ---- wire shapes (as a live shop sends them) -------------------------------------------

export interface ShoperUserRecord {
  user_id: string
  login: string
  date_add: string
  lastvisit: string
  verify_email: string
  origin: string
  registered: string
  groups: unknown[]
  group_id: string | null
  additional_fields: unknown[]
  tags: unknown[]
  firstname: string
  lastname: string
  email: string
  discount: string
  newsletter: string
  active: string
  lang_id: string
  comment: string
}

export interface ShoperAddressRecord {
  address_book_id: string
  user_id: string
  address_name: string
  company_name: string
  pesel: string
  firstname: string
  lastname: string
  street_1: string
  street_2: string
  city: string
  zip_code: string
  state: string
  country: string
  default: string
  shipping_default: string
  phone: string
  sortkey: string
  country_code: string
  tax_identification_number: string
}

export interface ShoperSubscriberRecord {
  subscriber_id: string
  email: string
  active: string
  dateadd: string
  lang_id: string
  groups: number[]
}

export interface ShoperUserGroupRecord {
  group_id: string
  name: string
  discount: string
  price_level: string
  auto_add: string
}

export interface ShoperLanguageRecord {
  lang_id: string
  locale: string
  currency_id: string
  active: string
  order: string
}

export interface ShoperDataset {
  users: ShoperUserRecord[]
  addresses: ShoperAddressRecord[]
  subscribers: ShoperSubscriberRecord[]
  userGroups: ShoperUserGroupRecord[]
  languages: ShoperLanguageRecord[]
}

// ---- tolerant scalar parsers ------------------------------------------------------------

/** any scalar → string; null/absent/objects → "" */
const text = z.unknown().transform((v): string =>
  typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : '',
)

/** "1"/1/true/"true" → true; absent or empty → the given default */
const flag = (dflt: boolean) =>
  z.unknown().transform((v): boolean => {
    if (v === null || v === undefined || v === '') return dflt
    if (typeof v === 'boolean') return v
    if (typeof v === 'number') return v !== 0
    if (typeof v === 'string') return ['1', 'true', 'yes'].includes(v.trim().toLowerCase())
    return dflt
  })

/** "YYYY-MM-DD HH:MM:SS" kept as is; empty and 0000-00-00 → null */
const date = z.unknown().transform((v): string | null => {
  if (typeof v !== 'string') return null
  const s = v.trim()
  return s === '' || s.startsWith('0000-00-00') ? null : s
})

/** a required id: non-empty string or non-negative integer, kept as a string */
const id = z
  .union([z.string().trim().regex(/^\d+$/), z.number().int().nonnegative()])
  .transform((v) => String(v))

/** an optional reference (group_id may be null) */
const optionalRef = z.unknown().transform((v): string | null => {
  if (typeof v === 'number' && Number.isFinite(v)) return String(v)
  if (typeof v === 'string' && v.trim() !== '' && v.trim() !== '0') return v.trim()
  return null
})

/** Shoper's counters: "3" or 3 */
const count = z
  .union([z.string().trim().regex(/^\d+$/), z.number().int().nonnegative()])
  .transform((v) => Number(v))

// ---- parsed records ---------------------------------------------------------------------

export const ShoperUser = z.object({
  user_id: id,
  login: text,
  email: text,
  firstname: text,
  lastname: text,
  /** "0" = a guest without an account; absent: assume an account */
  registered: flag(true),
  active: flag(true),
  newsletter: flag(false),
  lang_id: optionalRef,
  group_id: optionalRef,
  /** the groups a user is in: ids, or objects with a group_id (the shape is not documented) */
  groups: z.unknown().transform((v): string[] =>
    (Array.isArray(v) ? v : []).flatMap((g) => {
      const raw = g && typeof g === 'object' ? (g as Record<string, unknown>).group_id : g
      return typeof raw === 'string' || typeof raw === 'number' ? [String(raw).trim()].filter((x) => x && x !== '0') : []
    }),
  ),
  date_add: date,
})
export type ShoperUser = z.output<typeof ShoperUser>

export const ShoperAddress = z.object({
  address_book_id: id,
  user_id: id,
  company_name: text,
  firstname: text,
  lastname: text,
  street_1: text,
  street_2: text,
  city: text,
  zip_code: text,
  country: text,
  country_code: text,
  phone: text,
  tax_identification_number: text,
  default: flag(false),
  shipping_default: flag(false),
})
export type ShoperAddress = z.output<typeof ShoperAddress>

export const ShoperSubscriber = z.object({
  subscriber_id: id,
  email: text,
  active: flag(false),
  /** no underscore in this one */
  dateadd: date,
  lang_id: optionalRef,
})
export type ShoperSubscriber = z.output<typeof ShoperSubscriber>

export const ShoperUserGroup = z.object({ group_id: id, name: text })
export type ShoperUserGroup = z.output<typeof ShoperUserGroup>

export const ShoperLanguage = z.object({ lang_id: id, locale: text, active: flag(true) })
export type ShoperLanguage = z.output<typeof ShoperLanguage>

/** `{"count":"3","pages":1,"page":1,"list":[...]}` — items are parsed one by one by the caller */
export const ShoperListEnvelope = z.object({
  count,
  pages: count,
  page: count,
  list: z.array(z.unknown()),
})
export type ShoperListEnvelope = z.output<typeof ShoperListEnvelope>

export const ShoperAuthResponse = z.object({
  access_token: z.string().min(1),
  expires_in: count.optional(),
  token_type: z.string().optional(),
})
export type ShoperAuthResponse = z.output<typeof ShoperAuthResponse>

export const ShoperErrorBody = z.object({ error: z.string(), error_description: z.string().optional() })
export type ShoperErrorBody = z.output<typeof ShoperErrorBody>

/** `{"errors":bool,"items":[{"id","code","body"}]}`: each item's body is a resource answer or an error body */
export const ShoperBulkResponse = z.object({
  errors: z.unknown().optional(),
  items: z.array(z.object({ id: z.union([z.string(), z.number()]), code: z.union([z.number(), z.string()]), body: z.unknown() })),
})
export type ShoperBulkResponse = z.output<typeof ShoperBulkResponse>
