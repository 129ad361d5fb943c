/**
 * How a buffered customer reads in the lists: the values the panel would get (names and company
 * fall back to the billing address, as the import does) and the Błędy messages with their
 * parameters. Light on purpose: the full rules (phone, postcode libraries) load with the dialog only.
 */
import {
  PANEL_FIELD_LIMITS,
  customerErrorMessage,
  type Address,
  type CanonicalCustomer,
  type CustomerError,
  type Locale,
} from '@cm/contracts'

/** The flagged default billing address, else the first one (as prepareForPanel picks it). */
export function billingOf(c: CanonicalCustomer): Address | undefined {
  return c.addresses.find((a) => a.isDefaultBilling) ?? c.addresses[0]
}

export interface CustomerColumns {
  email: string
  firstName: string
  lastName: string
  company: string
  street: string
  postcode: string
  city: string
  country: string
  phone: string
}

export function customerColumns(c: CanonicalCustomer): CustomerColumns {
  const b = billingOf(c)
  return {
    email: c.email.trim(),
    firstName: c.firstName.trim() || b?.firstName.trim() || '',
    lastName: c.lastName.trim() || b?.lastName.trim() || '',
    company: c.company.trim() || b?.company.trim() || '',
    street: b?.street.trim() ?? '',
    postcode: b?.postcode.trim() ?? '',
    city: b?.city.trim() ?? '',
    country: b?.countryCode.trim().toUpperCase() ?? '',
    phone: c.phone.trim() || b?.phone.trim() || '',
  }
}

/** A readable name of the customer for labels and announcements. */
export function customerName(c: CanonicalCustomer, login = ''): string {
  const col = customerColumns(c)
  return [col.firstName, col.lastName].filter(Boolean).join(' ') || col.company || col.email || login || c.sourceId
}

/** `billingAddress.postcode` → `postcode` */
export function fieldKey(field: string | undefined): string {
  return (field ?? '').split('.').pop() ?? ''
}

/** The country a POSTCODE_INVALID / VAT_INVALID message names, as the rules chose it. */
function countryFor(err: CustomerError, c: CanonicalCustomer | undefined): string {
  if (!c) return ''
  const b = billingOf(c)
  const country = b?.countryCode.trim().toUpperCase() || 'PL'
  if (err.code !== 'VAT_INVALID') return country
  const vat = (c.vatNumber.trim() || b?.vatNumber.trim() || '').toUpperCase()
  const prefix = /^([A-Z]{2})/.exec(vat)?.[1]
  return prefix ?? country
}

/**
 * One Błędy entry in the UI's language, from its code (the contracts' messages, the same texts
 * as the `customerError.<CODE>` keys). The server's own text is the fallback when a parameter
 * cannot be known here.
 */
export function customerErrorText(
  err: CustomerError,
  locale: Locale,
  opts: { customer?: CanonicalCustomer; fieldLabel: (key: string) => string },
): string {
  const key = fieldKey(err.field)
  const max = key in PANEL_FIELD_LIMITS ? PANEL_FIELD_LIMITS[key as keyof typeof PANEL_FIELD_LIMITS] : undefined
  if (err.code === 'FIELD_TOO_LONG' && max === undefined) return err.message
  const country = countryFor(err, opts.customer)
  if ((err.code === 'POSTCODE_INVALID' || err.code === 'VAT_INVALID') && !country) return err.message
  return customerErrorMessage(err.code, locale, { country, field: opts.fieldLabel(key), max: max ?? '' })
}
