/** Turns a buffered (and possibly edited) canonical customer into the customer the panel creates. */
import type { Address, CanonicalCustomer, CustomerEdit } from '../index.ts'
import type { PanelCustomerDraft as NewPanelCustomer } from './panel-customer.ts'
import { isPolishPostcode, normalizePhone } from './customer.formats.ts'

type DeliveryAddress = NewPanelCustomer['deliveryAddresses'][number]

const EMPTY_ADDRESS: Address = {
  firstName: '',
  lastName: '',
  company: '',
  street: '',
  postcode: '',
  city: '',
  countryCode: '',
  phone: '',
  vatNumber: '',
  isDefaultBilling: false,
  isDefaultShipping: false,
}

/** The flagged default billing address; a source that flags none gets its first address. */
export function billingAddressIndex(c: CanonicalCustomer): number {
  const flagged = c.addresses.findIndex((a) => a.isDefaultBilling)
  return flagged >= 0 ? flagged : c.addresses.length > 0 ? 0 : -1
}

/** Applies the admin's patch; `billingAddress` goes to the default billing address (created if none). */
export function applyEdit(c: CanonicalCustomer, edit: CustomerEdit): CanonicalCustomer {
  const { billingAddress, ...fields } = edit
  const next: CanonicalCustomer = { ...c, addresses: [...c.addresses] }
  for (const [key, value] of Object.entries(fields) as Array<[keyof typeof fields, string | undefined]>) {
    if (value !== undefined) next[key] = value
  }
  if (billingAddress) {
    const patch = Object.fromEntries(Object.entries(billingAddress).filter(([, v]) => v !== undefined))
    const i = billingAddressIndex(next)
    if (i >= 0) {
      next.addresses[i] = { ...next.addresses[i]!, ...patch, isDefaultBilling: true }
    } else {
      next.addresses.push({ ...EMPTY_ADDRESS, ...patch, isDefaultBilling: true, isDefaultShipping: true })
    }
  }
  return next
}

/**
 * Country of an address as the panel gets it: upper-cased; an empty country becomes PL only when
 * the postcode is empty or Polish-shaped (NN-NNN) — the sources are Polish shops, but a foreign
 * postcode must not be silently moved to Poland (it stays empty and is reported COUNTRY_INVALID).
 */
export function panelCountryCode(countryCode: string, postcode: string): string {
  const code = countryCode.trim().toUpperCase()
  if (code !== '') return code
  const pc = postcode.trim()
  return pc === '' || isPolishPostcode(pc) ? 'PL' : ''
}

/** A valid number in E.164; anything else unchanged, so the rules can report it. */
function panelPhone(phone: string, countryCode: string): string {
  const raw = phone.trim()
  return raw === '' ? '' : (normalizePhone(raw, countryCode) ?? raw)
}

/**
 * Firm or person: a company name makes a firm; so does a VAT number on a record without a
 * person's name. A person with a NIP (a sole trader wanting invoices) stays a person.
 */
export function customerType(p: { company: string; vatNumber: string; firstName: string; lastName: string }): 'person' | 'firm' {
  if (p.company !== '') return 'firm'
  return p.vatNumber !== '' && p.firstName === '' && p.lastName === '' ? 'firm' : 'person'
}

function toDelivery(a: Address, names: { firstName: string; lastName: string }): DeliveryAddress {
  const postcode = a.postcode.trim()
  const countryCode = panelCountryCode(a.countryCode, postcode)
  return {
    // the panel needs names on a delivery address; a nameless one is the customer's own
    firstName: a.firstName.trim() || names.firstName,
    lastName: a.lastName.trim() || names.lastName,
    company: a.company.trim(),
    street: a.street.trim(),
    postcode,
    city: a.city.trim(),
    countryCode,
    phone: panelPhone(a.phone, countryCode),
  }
}

const deliveryKey = (d: DeliveryAddress): string =>
  [d.firstName, d.lastName, d.company, d.street, d.postcode, d.city, d.countryCode, d.phone]
    .map((s) => s.toLowerCase())
    .join('\u0000')

export function prepareForPanel(
  c: CanonicalCustomer,
  opts: { shopIds: string[]; login: string; externalRef: string },
): NewPanelCustomer {
  const bi = billingAddressIndex(c)
  const billing = bi >= 0 ? c.addresses[bi]! : EMPTY_ADDRESS
  const firstName = c.firstName.trim() || billing.firstName.trim()
  const lastName = c.lastName.trim() || billing.lastName.trim()
  const company = c.company.trim() || billing.company.trim()
  const vatNumber = c.vatNumber.trim() || billing.vatNumber.trim()
  const postcode = billing.postcode.trim()
  const countryCode = panelCountryCode(billing.countryCode, postcode)
  const names = { firstName, lastName }

  // default shipping first; stable order otherwise (sort is stable)
  const others = c.addresses
    .filter((_, i) => i !== bi)
    .sort((a, b) => Number(b.isDefaultShipping) - Number(a.isDefaultShipping))
  // the billing address seen as a delivery address: a copy of it is not a second address
  const seen = new Set([deliveryKey(toDelivery(billing, names))])
  const deliveryAddresses: DeliveryAddress[] = []
  for (const a of others) {
    const d = toDelivery(a, names)
    // an address without street, postcode or city cannot be a delivery address, and cannot be edited in the dialog
    if (d.street === '' || d.postcode === '' || d.city === '') continue
    const key = deliveryKey(d)
    if (seen.has(key)) continue
    seen.add(key)
    deliveryAddresses.push(d)
  }

  return {
    externalRef: opts.externalRef,
    login: opts.login,
    email: c.email.trim(),
    type: customerType({ company, vatNumber, firstName, lastName }),
    firstName,
    lastName,
    company,
    vatNumber,
    phone: panelPhone(c.phone.trim() || billing.phone, countryCode),
    birthDate: c.birthDate.trim(),
    street: billing.street.trim(),
    postcode,
    city: billing.city.trim(),
    countryCode,
    language: c.language,
    shopIds: [...opts.shopIds],
    newsletterEmail: c.consents.some((k) => k.channel === 'email' && k.granted),
    newsletterSms: c.consents.some((k) => k.channel === 'sms' && k.granted),
    deliveryAddresses,
  }
}
