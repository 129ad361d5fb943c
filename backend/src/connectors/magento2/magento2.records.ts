/**
 * Magento 2.4 records as the REST API sends them (Customer\Api\Data\CustomerInterface,
 * AddressInterface, GroupInterface, Store\Api\Data\StoreConfigInterface, snake_case, null
 * fields left out). Only the mock and the demo data build these; the client reads answers
 * through the tolerant parsers of magento2.types.ts.
 */

/** a country without a region list: region_id 0, code and name left out (null) or free text */
export interface MagentoRegionRecord {
  region_code?: string
  region?: string
  region_id: number
}

export interface MagentoAddressRecord {
  id: number
  customer_id: number
  region: MagentoRegionRecord
  region_id: number
  /** ISO 3166-1 alpha-2 */
  country_id: string
  /** 1–4 lines (customer/address/street_lines, 2 by default) */
  street: string[]
  company?: string
  telephone: string
  fax?: string
  postcode?: string
  city: string
  firstname: string
  lastname: string
  middlename?: string
  prefix?: string
  suffix?: string
  vat_id?: string
  /** sent only when true (computed from the customer's default_shipping) */
  default_shipping?: boolean
  default_billing?: boolean
}

export interface MagentoCustomerRecord {
  id: number
  group_id: number
  /** the default billing address's id, as a string; absent when none */
  default_billing?: string
  default_shipping?: string
  /** set while the account waits for its e-mail confirmation */
  confirmation?: string
  /** UTC, "YYYY-MM-DD HH:MM:SS" */
  created_at: string
  updated_at: string
  /** the store view's name at registration ("Default Store View") */
  created_in: string
  /** "YYYY-MM-DD" */
  dob?: string
  email: string
  firstname: string
  lastname: string
  middlename?: string
  prefix?: string
  suffix?: string
  /** 1 male, 2 female, 3 not specified */
  gender?: number
  store_id: number
  taxvat?: string
  website_id: number
  addresses: MagentoAddressRecord[]
  disable_auto_group_change: number
}

export interface MagentoGroupRecord {
  id: number
  code: string
  tax_class_id: number
  tax_class_name: string
}

export interface MagentoStoreConfigRecord {
  id: number
  code: string
  website_id: number
  /** "pl_PL" */
  locale: string
  base_currency_code: string
  default_display_currency_code: string
  timezone: string
  weight_unit: string
  base_url: string
  base_link_url: string
  base_static_url: string
  base_media_url: string
  secure_base_url: string
  secure_base_link_url: string
  secure_base_static_url: string
  secure_base_media_url: string
}

/** newsletter_subscriber: the Newsletter module's table (no REST API of its own) */
export interface MagentoSubscriberRecord {
  email: string
  /** 1 subscribed, 2 not active, 3 unsubscribed, 4 unconfirmed (Subscriber::STATUS_*) */
  status: 1 | 2 | 3 | 4
}

export interface MagentoDataset {
  customers: MagentoCustomerRecord[]
  groups: MagentoGroupRecord[]
  storeConfigs: MagentoStoreConfigRecord[]
  subscribers: MagentoSubscriberRecord[]
}

/** Magento's own customer groups (Customer module's default data) */
export const MAGENTO_DEFAULT_GROUPS: MagentoGroupRecord[] = [
  { id: 0, code: 'NOT LOGGED IN', tax_class_id: 3, tax_class_name: 'Retail Customer' },
  { id: 1, code: 'General', tax_class_id: 3, tax_class_name: 'Retail Customer' },
  { id: 2, code: 'Wholesale', tax_class_id: 3, tax_class_name: 'Retail Customer' },
  { id: 3, code: 'Retailer', tax_class_id: 3, tax_class_name: 'Retail Customer' },
]

export function storeConfigOf(id: number, code: string, locale: string, baseUrl: string): MagentoStoreConfigRecord {
  const base = baseUrl.replace(/\/?$/, '/')
  return {
    id,
    code,
    website_id: 1,
    locale,
    base_currency_code: 'PLN',
    default_display_currency_code: 'PLN',
    timezone: 'Europe/Warsaw',
    weight_unit: 'kgs',
    base_url: base,
    base_link_url: base,
    base_static_url: `${base}static/`,
    base_media_url: `${base}media/`,
    secure_base_url: base,
    secure_base_link_url: base,
    secure_base_static_url: `${base}static/`,
    secure_base_media_url: `${base}media/`,
  }
}
