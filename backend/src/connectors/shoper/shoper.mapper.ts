/**
 * Shoper user (+ its addresses, subscribers, group and language) → CanonicalCustomer.
 * Pure and faithful to the source: nothing is filled in or repaired here (missing names,
 * bad postcodes…); the import rules decide about those later.
 */
import type { Address, CanonicalCustomer, Consent, SkipReason } from '@cm/contracts'
import { countryCodeOf, localDateTimeToIso, localeToLanguage } from '../mapping.ts'
import type { ShoperAddress, ShoperLanguage, ShoperSubscriber, ShoperUser, ShoperUserGroup } from './shoper.types.ts'

export interface ShoperLookups {
  /** lang_id → locale, e.g. "1" → "pl_PL" */
  languages: ReadonlyMap<string, string>
  /** group_id → group name */
  groups: ReadonlyMap<string, string>
}

export function buildShoperLookups(languages: readonly ShoperLanguage[], groups: readonly ShoperUserGroup[]): ShoperLookups {
  return {
    languages: new Map(languages.map((l) => [l.lang_id, l.locale])),
    groups: new Map(groups.map((g) => [g.group_id, g.name])),
  }
}

export type ShoperMapResult =
  | { kind: 'customer'; customer: CanonicalCustomer }
  | { kind: 'left_out'; reason: SkipReason }

export function mapShoperAddress(a: ShoperAddress, isDefaultBilling: boolean, isDefaultShipping: boolean): Address {
  return {
    firstName: a.firstname.trim(),
    lastName: a.lastname.trim(),
    company: a.company_name.trim(),
    street: `${a.street_1.trim()} ${a.street_2.trim()}`.trim(),
    postcode: a.zip_code.trim(),
    city: a.city.trim(),
    countryCode: countryCodeOf(a.country_code, a.country),
    phone: a.phone.trim(),
    vatNumber: a.tax_identification_number.trim(),
    isDefaultBilling,
    isDefaultShipping,
  }
}

/** Default billing = `default:"1"` (else the first address); default shipping = `shipping_default:"1"` only. */
function mapAddresses(user: ShoperUser, addresses: readonly ShoperAddress[]): Address[] {
  const own = addresses.filter((a) => a.user_id === user.user_id)
  const billing = own.find((a) => a.default) ?? own[0]
  const shipping = own.find((a) => a.shipping_default)
  return own.map((a) => mapShoperAddress(a, a === billing, a === shipping))
}

/**
 * An active subscriber row with the same e-mail (case-insensitive), or `newsletter:"1"` when the
 * shop has no row for that e-mail at all. An inactive row means the person unsubscribed: the
 * user's flag does not outvote it. The date is the row's `dateadd` or nothing: the registration
 * date is not when anyone consented.
 */
function newsletterConsent(user: ShoperUser, subscribers: readonly ShoperSubscriber[]): Consent[] {
  const email = user.email.trim().toLowerCase()
  const rows = email ? subscribers.filter((s) => s.email.trim().toLowerCase() === email) : []
  const active = rows.find((s) => s.active)
  if (!active && (rows.length > 0 || !user.newsletter)) return []
  return [{ channel: 'email', granted: true, date: localDateTimeToIso(active?.dateadd ?? null) || null }]
}

/** `group_id`, else the first of `groups[]` the shop names */
function groupOf(user: ShoperUser, lookups: ShoperLookups): string {
  for (const id of [user.group_id, ...user.groups]) {
    const name = id ? lookups.groups.get(id)?.trim() : undefined
    if (name) return name
  }
  return ''
}

export function mapShoperUser(
  user: ShoperUser,
  addresses: readonly ShoperAddress[],
  subscribers: readonly ShoperSubscriber[],
  lookups: ShoperLookups,
): ShoperMapResult {
  if (!user.registered) return { kind: 'left_out', reason: 'guest' }
  const mapped = mapAddresses(user, addresses)
  const billing = mapped.find((a) => a.isDefaultBilling)
  const customer: CanonicalCustomer = {
    sourceId: user.user_id,
    login: user.login.trim(),
    email: user.email.trim(),
    firstName: user.firstname.trim(),
    lastName: user.lastname.trim(),
    company: billing?.company ?? '',
    vatNumber: billing?.vatNumber ?? '',
    phone: billing?.phone ?? '',
    birthDate: '',
    language: user.lang_id ? localeToLanguage(lookups.languages.get(user.lang_id)) : '',
    group: groupOf(user, lookups),
    active: user.active,
    registeredAt: localDateTimeToIso(user.date_add),
    addresses: mapped,
    consents: newsletterConsent(user, subscribers),
  }
  return { kind: 'customer', customer }
}
