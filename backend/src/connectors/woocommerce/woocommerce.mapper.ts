/**
 * WooCommerce customer → CanonicalCustomer. Pure and faithful to the source: nothing is filled
 * in or repaired (names missing on the account stay missing even when billing has them, bad
 * postcodes stay bad); the import rules decide about those later.
 */
import { isValidLogin } from '@cm/contracts/rules'
import type { Address, CanonicalCustomer, Consent, SkipReason } from '@cm/contracts'
import { localDateTimeToIso, localeToLanguage } from '../mapping.ts'
import type { WooAddress, WooBilling, WooCustomer } from './woocommerce.types.ts'

export type WooMapResult = { kind: 'customer'; customer: CanonicalCustomer } | { kind: 'left_out'; reason: SkipReason }

/** roles of the people who run the shop: read, counted, never migrated as customers */
export const WOO_STAFF_ROLES: readonly string[] = ['administrator', 'shop_manager']
/** core roles of shoppers: no group in the panel (any other role is kept as the group name) */
const PLAIN_ROLES: readonly string[] = ['customer', 'subscriber']

/**
 * Where Polish shops keep the NIP of a customer, most specific first. WooCommerce's checkout saves
 * a custom `billing_*` field as customer meta under its own name (WC_Checkout::process_customer),
 * so a field added by Flexible Checkout Fields or a theme becomes `billing_nip`/`billing_vat_number`;
 * Flexible Invoices (WP Desk) copies its field into `vat_number`; the underscored keys are the order
 * meta names some plugins copy to the user as well. The README lists the sources.
 */
export const WOO_NIP_META_KEYS = ['billing_nip', '_billing_nip', 'nip', 'billing_vat_number', '_billing_vat_number', 'vat_number', '_vat_number', 'billing_vat', 'billing_eu_vat_number'] as const
/** Mailchimp for WooCommerce: "1" subscribed, "0" not (no date is stored) */
export const WOO_MAILCHIMP_META_KEY = 'mailchimp_woocommerce_is_subscribed'

type Meta = WooCustomer['meta_data']

/** the first non-empty string (or number) value under `key` */
function metaText(meta: Meta, key: string): string {
  for (const m of meta) {
    if (m.key !== key) continue
    const v = typeof m.value === 'number' ? String(m.value) : m.value
    if (typeof v === 'string' && v.trim() !== '') return v.trim()
  }
  return ''
}

export function nipOf(meta: Meta): string {
  for (const key of WOO_NIP_META_KEYS) {
    const v = metaText(meta, key)
    if (v) return v
  }
  return ''
}

/** the Mailchimp flag as the plugin writes it; an empty or missing value says nothing */
function newsletterConsent(meta: Meta): Consent[] {
  const entry = meta.find((m) => m.key === WOO_MAILCHIMP_META_KEY)
  const raw = entry?.value
  const v = typeof raw === 'boolean' ? raw : typeof raw === 'number' ? raw !== 0 : typeof raw === 'string' ? raw.trim().toLowerCase() : ''
  if (v === true || v === '1' || v === 'yes' || v === 'true') return [{ channel: 'email', granted: true, date: null }]
  if (v === false || v === '0' || v === 'no' || v === 'false') return [{ channel: 'email', granted: false, date: null }]
  return []
}

/**
 * Dates and locales read as Shoper's do: "2017-03-21T16:09:28" is the site's time with no offset
 * and stays so (no zone invented); "pl_PL" → "pl". Shared rather than copied.
 */
export const wooDateToIso = localDateTimeToIso

const ADDRESS_KEYS = ['first_name', 'last_name', 'company', 'address_1', 'address_2', 'city', 'state', 'postcode', 'country'] as const

const hasData = (a: WooAddress) => [...ADDRESS_KEYS, 'phone' as const].some((k) => a[k].trim() !== '')
/** the same place to send a parcel to: the phone does not make another address */
const samePlace = (a: WooAddress, b: WooAddress) => ADDRESS_KEYS.every((k) => a[k].trim().toLowerCase() === b[k].trim().toLowerCase())

function toAddress(a: WooAddress, vatNumber: string, isDefaultBilling: boolean, isDefaultShipping: boolean): Address {
  return {
    firstName: a.first_name.trim(),
    lastName: a.last_name.trim(),
    company: a.company.trim(),
    street: `${a.address_1.trim()} ${a.address_2.trim()}`.trim(),
    postcode: a.postcode.trim(),
    city: a.city.trim(),
    countryCode: a.country.trim().toUpperCase(),
    phone: a.phone.trim(),
    vatNumber,
    isDefaultBilling,
    isDefaultShipping,
  }
}

/** billing first (when it holds anything), then shipping when it is another place */
function addressesOf(billing: WooBilling, shipping: WooAddress, nip: string): Address[] {
  const withBilling = hasData(billing)
  const separate = hasData(shipping) && (!withBilling || !samePlace(billing, shipping))
  return [...(withBilling ? [toAddress(billing, nip, true, !separate)] : []), ...(separate ? [toAddress(shipping, '', false, true)] : [])]
}

export function mapWooCustomer(c: WooCustomer): WooMapResult {
  const role = c.role.trim()
  if (WOO_STAFF_ROLES.includes(role)) return { kind: 'left_out', reason: 'staff' }
  const nip = nipOf(c.meta_data)
  const customer: CanonicalCustomer = {
    sourceId: String(c.id),
    // WordPress usernames often hold dots, hyphens or capitals, which the panel's logins may not:
    // such a username is dropped and the panel derives the login from the e-mail, as for
    // platforms without usernames (keeping it would fail most customers with LOGIN_INVALID)
    login: isValidLogin(c.username.trim()) ? c.username.trim() : '',
    email: c.email.trim(),
    firstName: c.first_name.trim(),
    lastName: c.last_name.trim(),
    company: c.billing.company.trim(),
    vatNumber: nip,
    phone: c.billing.phone.trim(),
    birthDate: '',
    language: localeToLanguage(metaText(c.meta_data, 'locale')),
    group: PLAIN_ROLES.includes(role) || role === '' ? '' : role,
    active: true,
    registeredAt: wooDateToIso(c.date_created),
    addresses: addressesOf(c.billing, c.shipping, nip),
    consents: newsletterConsent(c.meta_data),
  }
  return { kind: 'customer', customer }
}
