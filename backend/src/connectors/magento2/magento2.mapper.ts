/**
 * Magento 2 customer (+ the shop's groups and store views) → CanonicalCustomer. Pure and
 * faithful: nothing is filled in or repaired (missing names, bad postcodes…); the import rules
 * decide about those later.
 */
import type { Address, CanonicalCustomer, Consent } from '@cm/contracts'
import { localeToLanguage } from '../mapping.ts'
import type { MagentoAddress, MagentoCustomer, MagentoGroup, MagentoStoreConfig } from './magento2.types.ts'

export interface MagentoLookups {
  /** group_id → the group's code ("General", "Wholesale") */
  groups: ReadonlyMap<string, string>
  /** store_id → ISO 639-1 of the store view's locale (pl_PL → "pl") */
  languages: ReadonlyMap<string, string>
}

export function buildMagentoLookups(groups: readonly MagentoGroup[], stores: readonly MagentoStoreConfig[]): MagentoLookups {
  return {
    groups: new Map(groups.map((g) => [String(g.id), g.code.trim()])),
    languages: new Map(stores.map((s) => [String(s.id), localeToLanguage(s.locale)])),
  }
}

/**
 * "2017-12-05 09:50:11" → "2017-12-05T09:50:11Z". Magento keeps customer_entity.created_at as a
 * UTC timestamp and the REST API sends it unconverted, so unlike the other platforms the zone is
 * known and said. Junk or zero dates → "".
 */
export function magentoUtcToIso(value: string): string {
  const [, day, time] = value.trim().match(/^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})/) ?? []
  if (!day || !time || day.startsWith('0000')) return ''
  return `${day}T${time}Z`
}

/** dob "1973-12-15" as is (a date-time "1973-12-15 00:00:00" from older versions: its date); junk → "" */
export function magentoBirthDate(value: string): string {
  const day = /^(\d{4}-\d{2}-\d{2})(?:[ T]00:00:00)?$/.exec(value.trim())?.[1] ?? ''
  return day.startsWith('0000') ? '' : day
}

/** street[] (1–4 lines, customer/address/street_lines) → one line: "Długa" + "5/3" → "Długa 5/3" */
export const magentoStreet = (lines: readonly string[]) =>
  lines
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .join(' ')

/**
 * Default billing / shipping: the customer's default_billing / default_shipping address ids,
 * or the address's own flags (Magento computes those from the same ids). The region has no
 * field in the canonical address and is not moved.
 */
export function mapMagentoAddress(a: MagentoAddress, c: Pick<MagentoCustomer, 'default_billing' | 'default_shipping'>): Address {
  const is = (id: string) => id !== '' && a.id === id
  return {
    firstName: a.firstname.trim(),
    lastName: a.lastname.trim(),
    company: a.company.trim(),
    street: magentoStreet(a.street),
    postcode: a.postcode.trim(),
    city: a.city.trim(),
    countryCode: a.country_id.trim().toUpperCase(),
    phone: a.telephone.trim(),
    vatNumber: a.vat_id.trim(),
    isDefaultBilling: is(c.default_billing) || a.default_billing,
    isDefaultShipping: is(c.default_shipping) || a.default_shipping,
  }
}

/** is_subscribed true → e-mail consent; Magento keeps no date of it (change_status_at is not in the API) */
function newsletterConsent(c: MagentoCustomer): Consent[] {
  return c.extension_attributes.isSubscribed === true ? [{ channel: 'email', granted: true, date: null }] : []
}

/**
 * Every customer the search returns is an account (guests live on orders only; deleted
 * customers are gone). The customer's phone and company come from the default billing address
 * (else the default shipping one, else the first): Magento has neither on the account.
 * VAT number: the account's `taxvat` (Tax/VAT Number), else that address's `vat_id`.
 */
export function mapMagentoCustomer(c: MagentoCustomer, lookups: MagentoLookups): CanonicalCustomer {
  const addresses = c.addresses.map((a) => mapMagentoAddress(a, c))
  const main = addresses.find((a) => a.isDefaultBilling) ?? addresses.find((a) => a.isDefaultShipping) ?? addresses[0]
  return {
    sourceId: String(c.id),
    // Magento logs customers in by e-mail: there is no login to carry
    login: '',
    email: c.email.trim(),
    firstName: c.firstname.trim(),
    lastName: c.lastname.trim(),
    company: main?.company ?? '',
    vatNumber: c.taxvat.trim() || (main?.vatNumber ?? ''),
    phone: main?.phone ?? '',
    birthDate: magentoBirthDate(c.dob),
    language: (c.store_id && lookups.languages.get(c.store_id)) || '',
    group: (c.group_id && lookups.groups.get(c.group_id)) || '',
    // the REST API has no active flag (a pending e-mail confirmation is no deactivation)
    active: true,
    registeredAt: magentoUtcToIso(c.created_at),
    addresses,
    consents: newsletterConsent(c),
  }
}
