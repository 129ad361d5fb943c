/**
 * The panel's client rules (IdoSell POST /clients faults 1–21), checked at import so that every
 * problem of a customer lands in the Błędy column at once instead of one panel refusal at a time.
 * Uniqueness (LOGIN_TAKEN, EMAIL_TAKEN, EMAIL_DUPLICATE_IN_FILE) needs the database and is decided
 * by the import stage; `classifyEmailClash` is its pure part.
 */
import { PANEL_FIELD_LIMITS, customerErrorMessage } from '../index.ts'
import type { CustomerError, CustomerErrorCode } from '../index.ts'
import type { PanelCustomerDraft as NewPanelCustomer } from './panel-customer.ts'
import {
  isValidBirthDate,
  isValidCountryCode,
  isValidEmail,
  isValidPhone,
  isValidPostcode,
  isValidVatNumber,
  splitVatNumber,
} from './customer.formats.ts'

export { normalizePhone } from './customer.formats.ts'

type Locale = 'pl' | 'en'
export interface RulesContext {
  knownShopIds: Set<string>
  locale?: Locale
  /** "today" for the birth-date check; tests pin it */
  now?: Date
}

/** Where each panel field sits in CustomerEdit (the dialog highlights that input). */
const FIELD_PATHS = {
  login: 'login',
  email: 'email',
  firstName: 'firstName',
  lastName: 'lastName',
  company: 'company',
  vatNumber: 'vatNumber',
  phone: 'phone',
  birthDate: 'birthDate',
  street: 'billingAddress.street',
  postcode: 'billingAddress.postcode',
  city: 'billingAddress.city',
  countryCode: 'billingAddress.countryCode',
} as const
type PanelField = keyof typeof FIELD_PATHS

/** Field names as the admin sees them in messages (FIELD_TOO_LONG names the field). */
const FIELD_LABELS: Record<keyof typeof PANEL_FIELD_LIMITS, Record<Locale, string>> = {
  login: { pl: 'Login', en: 'Login' },
  email: { pl: 'E-mail', en: 'E-mail' },
  firstName: { pl: 'Imię', en: 'First name' },
  lastName: { pl: 'Nazwisko', en: 'Last name' },
  company: { pl: 'Nazwa firmy', en: 'Company' },
  vatNumber: { pl: 'NIP', en: 'VAT number' },
  phone: { pl: 'Telefon', en: 'Phone' },
  street: { pl: 'Ulica', en: 'Street' },
  city: { pl: 'Miejscowość', en: 'City' },
  postcode: { pl: 'Kod pocztowy', en: 'Postcode' },
}

const length = (s: string): number => [...s].length
const empty = (s: string): boolean => s.trim() === ''

export function validateCustomer(p: NewPanelCustomer, ctx: RulesContext): CustomerError[] {
  const locale = ctx.locale ?? 'pl'
  const errors: CustomerError[] = []
  const add = (code: CustomerErrorCode, field: PanelField | undefined, params: Record<string, string | number> = {}) =>
    errors.push({
      code,
      ...(field ? { field: FIELD_PATHS[field] } : {}),
      message: customerErrorMessage(code, locale, params),
    })

  // login
  if (empty(p.login)) add('LOGIN_MISSING', 'login')
  else if (!/^[a-z0-9]+$/.test(p.login)) add('LOGIN_INVALID', 'login')

  // e-mail
  if (empty(p.email)) add('EMAIL_MISSING', 'email')
  else if (!isValidEmail(p.email)) add('EMAIL_INVALID', 'email')

  // names: a firm may give the company only (fault 10), a person needs both names
  if (p.type === 'firm') {
    if (empty(p.company)) add('COMPANY_MISSING', 'company')
  } else {
    if (empty(p.firstName)) add('FIRSTNAME_MISSING', 'firstName')
    if (empty(p.lastName)) add('LASTNAME_MISSING', 'lastName')
  }

  // billing address
  if (empty(p.street)) add('STREET_MISSING', 'street')
  if (empty(p.city)) add('CITY_MISSING', 'city')
  const countryOk = isValidCountryCode(p.countryCode)
  if (!countryOk) add('COUNTRY_INVALID', 'countryCode')
  if (empty(p.postcode)) add('POSTCODE_MISSING', 'postcode')
  // without a known country there is no pattern to hold the postcode against
  else if (countryOk && !isValidPostcode(p.postcode, p.countryCode))
    add('POSTCODE_INVALID', 'postcode', { country: p.countryCode })

  // optional values: empty is fine, a given one must be valid
  if (!empty(p.phone) && !isValidPhone(p.phone, p.countryCode)) add('PHONE_INVALID', 'phone')
  if (!empty(p.vatNumber) && !isValidVatNumber(p.vatNumber, p.countryCode))
    add('VAT_INVALID', 'vatNumber', { country: splitVatNumber(p.vatNumber, p.countryCode).country })
  if (!empty(p.birthDate) && !isValidBirthDate(p.birthDate, ctx.now ?? new Date())) add('BIRTHDATE_INVALID', 'birthDate')

  // panel field lengths
  for (const [field, max] of Object.entries(PANEL_FIELD_LIMITS) as Array<[keyof typeof PANEL_FIELD_LIMITS, number]>) {
    if (length(p[field]) > max) add('FIELD_TOO_LONG', field, { field: FIELD_LABELS[field][locale], max })
  }

  // a shop the panel no longer has (fault 14); an empty list means "not checked here" (the dialog
  // preview validates the customer's own fields; an import always carries its chosen shops)
  if (p.shopIds.some((id) => !ctx.knownShopIds.has(id))) add('SHOP_INVALID', undefined)

  return errors
}

/** The link between a panel customer and its source record; unique per import and source id. */
