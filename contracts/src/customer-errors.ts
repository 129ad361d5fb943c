/** Codes of the Błędy column: why a buffered customer could not be imported. */
import { z } from 'zod'
import type { Localized } from './i18n.ts'

export const CUSTOMER_ERROR_CODES = [
  'LOGIN_MISSING',
  'LOGIN_INVALID',
  'LOGIN_TAKEN',
  'EMAIL_MISSING',
  'EMAIL_INVALID',
  'EMAIL_TAKEN',
  'EMAIL_DUPLICATE_IN_FILE',
  'FIRSTNAME_MISSING',
  'LASTNAME_MISSING',
  'COMPANY_MISSING',
  'STREET_MISSING',
  'CITY_MISSING',
  'POSTCODE_MISSING',
  'POSTCODE_INVALID',
  'COUNTRY_INVALID',
  'PHONE_INVALID',
  'VAT_INVALID',
  'BIRTHDATE_INVALID',
  'FIELD_TOO_LONG',
  'SHOP_INVALID',
] as const
export const CustomerErrorCode = z.enum(CUSTOMER_ERROR_CODES)
export type CustomerErrorCode = z.infer<typeof CustomerErrorCode>

/** One problem of one customer; `field` is the edited field it concerns (for the dialog). */
export const CustomerError = z.object({
  code: CustomerErrorCode,
  field: z.string().optional(),
  message: z.string(),
})
export type CustomerError = z.infer<typeof CustomerError>

/** `{field}`, `{max}`, `{country}` are filled in by `customerErrorMessage`. */
export const CUSTOMER_ERROR_MESSAGES: Record<CustomerErrorCode, Localized> = {
  LOGIN_MISSING: { pl: 'Brak loginu. Wpisz login klienta.', en: 'Login is missing. Enter the customer’s login.' },
  LOGIN_INVALID: {
    pl: 'Login może zawierać tylko małe litery (bez polskich znaków) i cyfry. Popraw login.',
    en: 'The login may contain only small letters (no diacritics) and digits. Correct the login.',
  },
  LOGIN_TAKEN: {
    pl: 'Ten login jest już używany przez innego klienta sklepu. Wpisz inny login.',
    en: 'This login is already used by another customer of the shop. Enter another login.',
  },
  EMAIL_MISSING: { pl: 'Brak adresu e-mail. Wpisz e-mail klienta.', en: 'E-mail is missing. Enter the customer’s e-mail.' },
  EMAIL_INVALID: {
    pl: 'Adres e-mail jest nieprawidłowy. Popraw go (np. jan.kowalski@example.pl).',
    en: 'The e-mail address is not valid. Correct it (e.g. jan.kowalski@example.com).',
  },
  EMAIL_TAKEN: {
    pl: 'Ten e-mail jest już używany przez innego klienta sklepu. Zmień e-mail lub pomiń klienta.',
    en: 'This e-mail is already used by another customer of the shop. Change the e-mail or skip the customer.',
  },
  EMAIL_DUPLICATE_IN_FILE: {
    pl: 'Ten e-mail ma już inny klient z tego importu, zaimportowany wcześniej. Zmień e-mail lub pomiń klienta.',
    en: 'Another customer of this import with this e-mail was imported first. Change the e-mail or skip the customer.',
  },
  FIRSTNAME_MISSING: { pl: 'Brak imienia. Wpisz imię klienta.', en: 'First name is missing. Enter the first name.' },
  LASTNAME_MISSING: { pl: 'Brak nazwiska. Wpisz nazwisko klienta.', en: 'Last name is missing. Enter the last name.' },
  COMPANY_MISSING: {
    pl: 'Klient jest firmą, ale nie ma nazwy firmy. Wpisz nazwę firmy.',
    en: 'The customer is a company without a company name. Enter the company name.',
  },
  STREET_MISSING: { pl: 'Brak ulicy w adresie. Wpisz ulicę i numer.', en: 'Street is missing. Enter the street and number.' },
  CITY_MISSING: { pl: 'Brak miejscowości. Wpisz miejscowość.', en: 'City is missing. Enter the city.' },
  POSTCODE_MISSING: { pl: 'Brak kodu pocztowego. Wpisz kod pocztowy.', en: 'Postcode is missing. Enter the postcode.' },
  POSTCODE_INVALID: {
    pl: 'Kod pocztowy nie pasuje do kraju {country}. Popraw kod (dla Polski: 00-000) lub kraj.',
    en: 'The postcode does not fit the country {country}. Correct the postcode (Poland: 00-000) or the country.',
  },
  COUNTRY_INVALID: {
    pl: 'Nieznany kraj. Wybierz kraj z listy (kod ISO, np. PL).',
    en: 'Unknown country. Choose a country from the list (ISO code, e.g. PL).',
  },
  PHONE_INVALID: {
    pl: 'Numer telefonu jest nieprawidłowy. Wpisz numer z kierunkowym, np. +48 600 700 800.',
    en: 'The phone number is not valid. Enter it with the country code, e.g. +48 600 700 800.',
  },
  VAT_INVALID: {
    pl: 'NIP jest nieprawidłowy dla kraju {country}. Popraw NIP (dla Polski 10 cyfr).',
    en: 'The VAT number is not valid for {country}. Correct it (Poland: 10 digits).',
  },
  BIRTHDATE_INVALID: {
    pl: 'Data urodzenia jest nieprawidłowa. Wpisz datę w formacie RRRR-MM-DD.',
    en: 'The birth date is not valid. Enter it as YYYY-MM-DD.',
  },
  FIELD_TOO_LONG: {
    pl: 'Pole „{field}” jest za długie (najwyżej {max} znaków). Skróć je.',
    en: 'The field “{field}” is too long (at most {max} characters). Shorten it.',
  },
  SHOP_INVALID: {
    pl: 'Wybrany sklep nie istnieje już w panelu. Wybierz inny sklep.',
    en: 'The chosen shop no longer exists in the panel. Choose another shop.',
  },
}

export function customerErrorMessage(
  code: CustomerErrorCode,
  locale: 'pl' | 'en' = 'pl',
  params: Record<string, string | number> = {},
): string {
  return CUSTOMER_ERROR_MESSAGES[code][locale].replace(/\{(\w+)\}/g, (m, k: string) =>
    k in params ? String(params[k]) : m,
  )
}
