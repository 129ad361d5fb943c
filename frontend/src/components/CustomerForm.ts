/**
 * The import dialog's form of one buffered customer: its starting values (what the panel would
 * get), the edit made of the changed fields only, and the live check with the shared client
 * rules (the same applyEdit → prepareForPanel → validateCustomer the backend runs at import).
 */
import type { BufferedCustomer, CustomerEdit, CustomerError, EditableAddress, Locale } from '@cm/contracts'
import { applyEdit, billingAddressIndex, isValidCountryCode, prepareForPanel, validateCustomer } from '@cm/contracts/rules'

export interface CustomerForm {
  login: string
  email: string
  firstName: string
  lastName: string
  company: string
  vatNumber: string
  phone: string
  birthDate: string
  street: string
  postcode: string
  city: string
  countryCode: string
  billingPhone: string
}
export type CustomerFormKey = keyof CustomerForm

export const CUSTOMER_KEYS = ['login', 'email', 'firstName', 'lastName', 'company', 'vatNumber', 'phone', 'birthDate'] as const
/** form key → field of the billing address */
export const BILLING_KEYS = { street: 'street', postcode: 'postcode', city: 'city', countryCode: 'countryCode', billingPhone: 'phone' } as const
/** values that fall back to the billing address when the customer's own is empty */
const FALLS_BACK = ['firstName', 'lastName', 'company', 'vatNumber'] as const

/** where a form field's errors point (CustomerError.field) */
export function errorPath(key: CustomerFormKey): string {
  return key in BILLING_KEYS ? `billingAddress.${BILLING_KEYS[key as keyof typeof BILLING_KEYS]}` : key
}

export function initialForm(row: BufferedCustomer): CustomerForm {
  const c = row.customer
  const panel = prepareForPanel(c, { shopIds: [], login: row.plannedLogin, externalRef: '' })
  const bi = billingAddressIndex(c)
  const billing = bi >= 0 ? c.addresses[bi] : undefined
  return {
    login: row.plannedLogin,
    email: panel.email,
    firstName: panel.firstName,
    lastName: panel.lastName,
    company: panel.company,
    vatNumber: panel.vatNumber,
    // both phones as given: the panel takes the customer's own, else the billing address's
    phone: c.phone.trim(),
    birthDate: panel.birthDate,
    street: panel.street,
    postcode: panel.postcode,
    city: panel.city,
    countryCode: panel.countryCode,
    billingPhone: billing?.phone.trim() ?? '',
  }
}

/**
 * Only what the admin changed. A login that only followed the e-mail is left out (the import
 * derives the same one); a value emptied on purpose is emptied on the billing address too, or
 * the address's value would silently come back.
 */
export function editOf(initial: CustomerForm, form: CustomerForm, opts: { loginTouched: boolean }): CustomerEdit {
  const edit: CustomerEdit = {}
  const billing: EditableAddress = {}
  for (const k of CUSTOMER_KEYS) {
    if (k === 'login' && !opts.loginTouched) continue
    if (form[k] !== initial[k]) edit[k] = form[k]
  }
  for (const k of FALLS_BACK) {
    if (edit[k] === '') billing[k] = ''
  }
  for (const [k, field] of Object.entries(BILLING_KEYS) as Array<[keyof typeof BILLING_KEYS, keyof EditableAddress]>) {
    if (form[k] !== initial[k]) billing[field] = form[k]
  }
  if (Object.keys(billing).length) edit.billingAddress = billing
  return edit
}

/** The customer as it would be imported with this edit, checked by the panel's client rules. */
export function validateForm(row: BufferedCustomer, form: CustomerForm, edit: CustomerEdit, locale: Locale): CustomerError[] {
  const draft = applyEdit(row.customer, edit)
  const panel = prepareForPanel(draft, { shopIds: [], login: form.login.trim(), externalRef: '' })
  return validateCustomer(panel, { knownShopIds: new Set(), locale })
}

/** Errors per form field; PHONE_INVALID belongs to the billing phone when the customer has none of its own. */
export function errorsByField(errors: CustomerError[], form: CustomerForm): { byKey: Partial<Record<CustomerFormKey, string[]>>; general: string[] } {
  const byPath = new Map<string, CustomerFormKey>(
    (Object.keys(form) as CustomerFormKey[]).map((k) => [errorPath(k), k]),
  )
  const byKey: Partial<Record<CustomerFormKey, string[]>> = {}
  const general: string[] = []
  for (const e of errors) {
    let key = e.field ? byPath.get(e.field) : undefined
    if (key === 'phone' && form.phone.trim() === '') key = 'billingPhone'
    if (key) (byKey[key] ??= []).push(e.message)
    else general.push(e.message)
  }
  return { byKey, general }
}

/** The address lines of a read-only address. */
export function otherAddresses(row: BufferedCustomer): string[] {
  const c = row.customer
  const bi = billingAddressIndex(c)
  return c.addresses
    .filter((_, i) => i !== bi)
    .map((a) =>
      [
        [a.firstName, a.lastName].map((s) => s.trim()).filter(Boolean).join(' '),
        a.company.trim(),
        a.street.trim(),
        [a.postcode.trim(), a.city.trim()].filter(Boolean).join(' '),
        a.countryCode.trim().toUpperCase(),
        a.phone.trim(),
      ]
        .filter(Boolean)
        .join(', '),
    )
    .filter(Boolean)
}

const countryCache = new Map<string, Array<{ code: string; name: string }>>()

/** ISO 3166-1 alpha-2 countries the rules accept, named in the UI's language, Poland first. */
export function countryOptions(locale: Locale): Array<{ code: string; name: string }> {
  const cached = countryCache.get(locale)
  if (cached) return cached
  const names = new Intl.DisplayNames([locale === 'en' ? 'en-GB' : 'pl-PL'], { type: 'region' })
  const codes: string[] = []
  for (let a = 65; a <= 90; a++) {
    for (let b = 65; b <= 90; b++) {
      const code = String.fromCharCode(a, b)
      if (isValidCountryCode(code)) codes.push(code)
    }
  }
  const collator = new Intl.Collator(locale === 'en' ? 'en-GB' : 'pl-PL')
  const list = codes
    .map((code) => ({ code, name: names.of(code) ?? code }))
    .sort((x, y) => (x.code === 'PL' ? -1 : y.code === 'PL' ? 1 : collator.compare(x.name, y.name)))
  countryCache.set(locale, list)
  return list
}
