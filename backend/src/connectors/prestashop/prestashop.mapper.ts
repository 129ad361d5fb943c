/**
 * PrestaShop customer (+ its addresses and the shop's countries, languages and groups) →
 * CanonicalCustomer. Pure and faithful: nothing is filled in or repaired (missing names, bad
 * postcodes…); the import rules decide about those later. Secrets never get here: the
 * parsers of prestashop.types.ts do not keep them.
 */
import type { Address, CanonicalCustomer, Consent, SkipReason } from '@cm/contracts'
import type { PrestaShopAddress, PrestaShopCountry, PrestaShopCustomer, PrestaShopGroup, PrestaShopLanguage } from './prestashop.types.ts'

export interface PrestaShopLookups {
  /** id_country → ISO 3166-1 alpha-2 ("PL") */
  countries: ReadonlyMap<string, string>
  /** id_lang → ISO 639-1 ("pl") */
  languages: ReadonlyMap<string, string>
  /** id_group → its name in the language chosen by buildPrestaShopLookups */
  groups: ReadonlyMap<string, string>
}

/**
 * Group names are multilingual and the key may not read the shop's default language
 * (`configurations`): Polish when the shop has it (the panel is Polish), else the lowest
 * language id (the language the shop was installed in).
 */
export function buildPrestaShopLookups(
  countries: readonly PrestaShopCountry[],
  languages: readonly PrestaShopLanguage[],
  groups: readonly PrestaShopGroup[],
): PrestaShopLookups {
  const langs = [...languages].sort((a, b) => Number(a.id) - Number(b.id))
  const nameLang = (langs.find((l) => l.iso_code.trim().toLowerCase() === 'pl') ?? langs[0])?.id ?? ''
  const nameOf = (g: PrestaShopGroup) => {
    const chosen = g.name.find((n) => n.lang === nameLang || n.lang === '')?.value.trim()
    return chosen || (g.name.find((n) => n.value.trim() !== '')?.value.trim() ?? '')
  }
  return {
    countries: new Map(countries.map((c) => [c.id, c.iso_code.trim().toUpperCase()])),
    languages: new Map(languages.map((l) => [l.id, l.iso_code.trim().toLowerCase()])),
    groups: new Map(groups.map((g) => [g.id, nameOf(g)])),
  }
}

export type PrestaShopMapResult = { kind: 'customer'; customer: CanonicalCustomer } | { kind: 'left_out'; reason: SkipReason }

/** "2013-12-13 08:19:15" → "2013-12-13T08:19:15": the shop's local time, no zone invented; zero or junk → "" */
export function prestashopDateToIso(value: string): string {
  const [, day, time] = value.trim().match(/^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}:\d{2}:\d{2}))?$/) ?? []
  if (!day || day.startsWith('0000')) return ''
  return `${day}T${time ?? '00:00:00'}`
}

/** "1970-01-15" as is; "0000-00-00", empty or anything else → "" */
export function prestashopBirthDate(value: string): string {
  const v = value.trim()
  return /^\d{4}-\d{2}-\d{2}$/.test(v) && !v.startsWith('0000') ? v : ''
}

/** the customer's addresses the shop still shows (deleted "0"), lowest id first */
export function liveAddressesOf(customerId: string, addresses: readonly PrestaShopAddress[]): PrestaShopAddress[] {
  return addresses.filter((a) => a.id_customer === customerId && !a.deleted).sort((a, b) => Number(a.id) - Number(b.id))
}

/** addresses the customer deleted (kept by the shop for old orders): not moved, only counted */
export function deletedAddressCount(customerId: string, addresses: readonly PrestaShopAddress[]): number {
  return addresses.filter((a) => a.id_customer === customerId && a.deleted).length
}

/**
 * PrestaShop marks no address as default; its checkout starts from the customer's first live
 * address (Address::getFirstCustomerAddressId), i.e. the lowest id: that one is the default
 * billing and shipping address. Phone: `phone`, else `phone_mobile` (the checkout asks for
 * `phone`; `phone_mobile` is an optional extra field). VAT: `vat_number`; `dni` is a personal
 * identity number, not a VAT id, and is not moved.
 */
export function mapPrestaShopAddress(a: PrestaShopAddress, lookups: PrestaShopLookups, isDefault: boolean): Address {
  return {
    firstName: a.firstname.trim(),
    lastName: a.lastname.trim(),
    company: a.company.trim(),
    street: `${a.address1.trim()} ${a.address2.trim()}`.trim(),
    postcode: a.postcode.trim(),
    city: a.city.trim(),
    countryCode: (a.id_country && lookups.countries.get(a.id_country)) || '',
    phone: a.phone.trim() || a.phone_mobile.trim(),
    vatNumber: a.vat_number.trim(),
    isDefaultBilling: isDefault,
    isDefaultShipping: isDefault,
  }
}

/** `newsletter` "1": consent to e-mail, dated by `newsletter_date_add` when the shop has a date */
function newsletterConsent(c: PrestaShopCustomer): Consent[] {
  if (!c.newsletter) return []
  return [{ channel: 'email', granted: true, date: prestashopDateToIso(c.newsletter_date_add) || null }]
}

/** Guests (`is_guest` "1") are no accounts; deleted customers (`deleted` "1") are gone from the shop. */
export function mapPrestaShopCustomer(c: PrestaShopCustomer, addresses: readonly PrestaShopAddress[], lookups: PrestaShopLookups): PrestaShopMapResult {
  if (c.is_guest) return { kind: 'left_out', reason: 'guest' }
  if (c.deleted) return { kind: 'left_out', reason: 'deleted' }
  const mapped = liveAddressesOf(c.id, addresses).map((a, i) => mapPrestaShopAddress(a, lookups, i === 0))
  const main = mapped[0]
  const customer: CanonicalCustomer = {
    sourceId: c.id,
    // PrestaShop logs customers in by e-mail: there is no login to carry
    login: '',
    email: c.email.trim(),
    firstName: c.firstname.trim(),
    lastName: c.lastname.trim(),
    // the customer's own company (B2B mode), else the default address's
    company: c.company.trim() || (main?.company ?? ''),
    vatNumber: main?.vatNumber ?? '',
    phone: main?.phone ?? '',
    birthDate: prestashopBirthDate(c.birthday),
    language: (c.id_lang && lookups.languages.get(c.id_lang)) || '',
    group: (c.id_default_group && lookups.groups.get(c.id_default_group)) || '',
    active: c.active,
    registeredAt: prestashopDateToIso(c.date_add),
    addresses: mapped,
    consents: newsletterConsent(c),
  }
  return { kind: 'customer', customer }
}
