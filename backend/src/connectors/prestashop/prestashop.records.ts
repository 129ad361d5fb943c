/**
 * PrestaShop Webservice records as a shop stores and sends them (classes/Customer.php,
 * Address.php, Country.php, Language.php, Group.php). Only the mock and the demo data use
 * these shapes; the client reads answers through the tolerant parsers of prestashop.types.ts,
 * which never declare the secret columns below.
 */

/** a multilingual field: language id → text */
export type I18n = Record<number, string>

export interface PrestaShopCustomerRecord {
  id: number
  id_default_group: number
  id_lang: number
  newsletter_date_add: string | null
  ip_registration_newsletter: string | null
  last_passwd_gen: string
  /** md5-looking 32 hex: a secret (signs the customer's links) */
  secure_key: string
  deleted: number
  /** bcrypt `$2y$10$…` since 1.7: a secret */
  passwd: string
  lastname: string
  firstname: string
  email: string
  id_gender: number
  birthday: string | null
  newsletter: number
  optin: number
  website: string | null
  company: string | null
  siret: string | null
  ape: string | null
  outstanding_allow_amount: string
  show_public_prices: number
  id_risk: number
  max_payment_days: number
  active: number
  note: string | null
  is_guest: number
  id_shop: number
  id_shop_group: number
  date_add: string
  date_upd: string
  /** sha1 40 hex while a password reset is pending: a secret */
  reset_password_token: string | null
  reset_password_validity: string | null
  /** associations.groups */
  groups: number[]
}

export interface PrestaShopAddressRecord {
  id: number
  id_customer: number
  id_manufacturer: number
  id_supplier: number
  id_warehouse: number
  id_country: number
  id_state: number
  alias: string
  company: string | null
  lastname: string
  firstname: string
  vat_number: string | null
  address1: string
  address2: string | null
  postcode: string | null
  city: string
  other: string | null
  phone: string | null
  phone_mobile: string | null
  dni: string | null
  deleted: number
  date_add: string
  date_upd: string
}

export interface PrestaShopCountryRecord {
  id: number
  id_zone: number
  id_currency: number
  call_prefix: number
  iso_code: string
  active: number
  contains_states: number
  need_identification_number: number
  need_zip_code: number
  zip_code_format: string
  display_tax_label: number
  name: I18n
}

export interface PrestaShopLanguageRecord {
  id: number
  name: string
  iso_code: string
  locale: string
  language_code: string
  active: number
  is_rtl: number
  date_format_lite: string
  date_format_full: string
}

export interface PrestaShopGroupRecord {
  id: number
  reduction: string
  price_display_method: number
  show_prices: number
  date_add: string
  date_upd: string
  name: I18n
}

export interface PrestaShopDataset {
  customers: PrestaShopCustomerRecord[]
  addresses: PrestaShopAddressRecord[]
  countries: PrestaShopCountryRecord[]
  languages: PrestaShopLanguageRecord[]
  groups: PrestaShopGroupRecord[]
}

/** The columns a shop hands out that no part of this module may keep, log or echo. */
export const PRESTASHOP_SECRET_FIELDS = ['passwd', 'secure_key', 'reset_password_token'] as const

/** Field order of `display=full`, as the shop sends it (the docs' sample customer). */
export const CUSTOMER_FIELDS = [
  'id', 'id_default_group', 'id_lang', 'newsletter_date_add', 'ip_registration_newsletter', 'last_passwd_gen', 'secure_key',
  'deleted', 'passwd', 'lastname', 'firstname', 'email', 'id_gender', 'birthday', 'newsletter', 'optin', 'website', 'company',
  'siret', 'ape', 'outstanding_allow_amount', 'show_public_prices', 'id_risk', 'max_payment_days', 'active', 'note', 'is_guest',
  'id_shop', 'id_shop_group', 'date_add', 'date_upd', 'reset_password_token', 'reset_password_validity',
] as const
export const ADDRESS_FIELDS = [
  'id', 'id_customer', 'id_manufacturer', 'id_supplier', 'id_warehouse', 'id_country', 'id_state', 'alias', 'company', 'lastname',
  'firstname', 'vat_number', 'address1', 'address2', 'postcode', 'city', 'other', 'phone', 'phone_mobile', 'dni', 'deleted',
  'date_add', 'date_upd',
] as const
export const COUNTRY_FIELDS = [
  'id', 'id_zone', 'id_currency', 'call_prefix', 'iso_code', 'active', 'contains_states', 'need_identification_number',
  'need_zip_code', 'zip_code_format', 'display_tax_label', 'name',
] as const
export const LANGUAGE_FIELDS = ['id', 'name', 'iso_code', 'locale', 'language_code', 'active', 'is_rtl', 'date_format_lite', 'date_format_full'] as const
export const GROUP_FIELDS = ['id', 'reduction', 'price_display_method', 'show_prices', 'date_add', 'date_upd', 'name'] as const
