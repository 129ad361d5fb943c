/** Fatal API error codes (the error envelope) and the source-connection failure codes. */
import { z } from 'zod'
import type { Localized } from './i18n.ts'

export const API_ERROR_CODES = [
  'VALIDATION_FAILED',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'IMPORT_STATE_CONFLICT',
  'IMPORT_ALREADY_RUNNING',
  'SHOP_UNKNOWN',
  'PLATFORM_UNAVAILABLE',
  'SOURCE_ADDRESS_NOT_ALLOWED',
  'FILE_MISSING',
  'FILE_TOO_LARGE',
  'FILE_NOT_AVAILABLE',
  'SOURCE_FAILED',
  'INTERNAL',
] as const
export const ApiErrorCode = z.enum(API_ERROR_CODES)
export type ApiErrorCode = z.infer<typeof ApiErrorCode>

export const ErrorEnvelope = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
})
export type ErrorEnvelope = z.infer<typeof ErrorEnvelope>

export const API_ERROR_MESSAGES: Record<ApiErrorCode, Localized> = {
  VALIDATION_FAILED: { pl: 'Nieprawidłowe dane żądania.', en: 'The request is not valid.' },
  UNAUTHENTICATED: { pl: 'Zaloguj się ponownie do panelu.', en: 'Please sign in to the panel again.' },
  FORBIDDEN: { pl: 'Nie masz uprawnień do tej operacji.', en: 'You do not have permission for this action.' },
  NOT_FOUND: { pl: 'Nie znaleziono.', en: 'Not found.' },
  IMPORT_STATE_CONFLICT: {
    pl: 'Ta operacja nie jest możliwa w obecnym statusie importu.',
    en: 'This action is not possible in the import’s current status.',
  },
  IMPORT_ALREADY_RUNNING: {
    pl: 'Import z tego sklepu już trwa. Poczekaj na jego zakończenie lub usuń źródło.',
    en: 'An import from this shop is already running. Wait for it to finish or delete its source.',
  },
  SHOP_UNKNOWN: { pl: 'Wybrany sklep nie istnieje w panelu.', en: 'The chosen shop does not exist in the panel.' },
  PLATFORM_UNAVAILABLE: {
    pl: 'Migracja z tej platformy nie jest jeszcze dostępna.',
    en: 'Migration from this platform is not available yet.',
  },
  SOURCE_ADDRESS_NOT_ALLOWED: {
    pl: 'Adres sklepu wskazuje na sieć prywatną lub niedozwolony adres. Podaj publiczny adres https sklepu.',
    en: 'The shop address points to a private network or a forbidden address. Enter the shop’s public https address.',
  },
  FILE_MISSING: { pl: 'Dołącz plik XML.', en: 'Attach an XML file.' },
  FILE_TOO_LARGE: { pl: 'Plik jest za duży.', en: 'The file is too large.' },
  FILE_NOT_AVAILABLE: { pl: 'Plik XML nie jest (jeszcze) dostępny.', en: 'The XML file is not available (yet).' },
  SOURCE_FAILED: { pl: 'Sklep źródłowy nie odpowiada poprawnie.', en: 'The source shop does not answer correctly.' },
  INTERNAL: {
    pl: 'Wystąpił nieoczekiwany błąd. Spróbuj ponownie za chwilę.',
    en: 'An unexpected error occurred. Try again in a moment.',
  },
}

/** Why a connection to the source failed; each message says what to fix. */
export const CONNECTION_ERROR_CODES = [
  'SOURCE_ADDRESS_NOT_ALLOWED',
  'SOURCE_UNREACHABLE',
  'SOURCE_TIMEOUT',
  'SOURCE_NOT_A_SHOP',
  'SOURCE_AUTH_FAILED',
  'SOURCE_API_ACCESS_DENIED',
  'SOURCE_API_DISABLED',
  'SOURCE_ADMIN_ACCESS_DENIED',
  'SOURCE_IP_NOT_ALLOWED',
  'SOURCE_RATE_LIMITED',
  'SOURCE_SERVER_ERROR',
  'SOURCE_BAD_RESPONSE',
  'SOURCE_TLS_ERROR',
  'SOURCE_INCONSISTENT',
  'SOURCE_UNAVAILABLE',
  'CREDENTIALS_UNREADABLE',
] as const
export const ConnectionErrorCode = z.enum(CONNECTION_ERROR_CODES)
export type ConnectionErrorCode = z.infer<typeof ConnectionErrorCode>

export const CONNECTION_ERROR_MESSAGES: Record<ConnectionErrorCode, Localized> = {
  SOURCE_ADDRESS_NOT_ALLOWED: API_ERROR_MESSAGES.SOURCE_ADDRESS_NOT_ALLOWED,
  SOURCE_UNREACHABLE: {
    pl: 'Nie udało się połączyć z podanym adresem. Sprawdź domenę sklepu.',
    en: 'Could not connect to that address. Check the shop domain.',
  },
  SOURCE_TIMEOUT: {
    pl: 'Sklep nie odpowiedział w wymaganym czasie. Spróbuj ponownie później.',
    en: 'The shop did not answer in time. Try again later.',
  },
  SOURCE_NOT_A_SHOP: {
    pl: 'Pod tym adresem nie działa API sklepu tej platformy. Sprawdź domenę i wybraną platformę.',
    en: 'No shop API of this platform answers at that address. Check the domain and the chosen platform.',
  },
  SOURCE_AUTH_FAILED: {
    pl: 'Nieprawidłowy login lub hasło. Sprawdź dane użytkownika API w sklepie źródłowym.',
    en: 'Wrong login or password. Check the API user’s credentials in the source shop.',
  },
  SOURCE_API_ACCESS_DENIED: {
    pl: 'Użytkownik nie ma dostępu do API. Nadaj mu uprawnienia odczytu i zapisu w API w sklepie źródłowym.',
    en: 'The user has no API access. Give it API read and write rights in the source shop.',
  },
  SOURCE_API_DISABLED: {
    pl: 'API sklepu źródłowego jest wyłączone. Włącz je w panelu sklepu źródłowego i sprawdź połączenie ponownie.',
    en: 'The source shop’s API is switched off. Switch it on in the source shop’s panel and check the connection again.',
  },
  SOURCE_ADMIN_ACCESS_DENIED: {
    pl: 'Sklep odmówił dostępu temu kontu administratora (konto jest zablokowane, nieaktywne albo nie ma prawa logowania). Sprawdź konto w panelu sklepu źródłowego lub użyj innego.',
    en: 'The shop refused this administrator account (it is blocked, inactive or may not sign in). Check the account in the source shop’s panel or use another one.',
  },
  SOURCE_IP_NOT_ALLOWED: {
    pl: 'Sklep źródłowy nie przyjmuje połączeń z adresu panelu. Dodaj adres panelu do listy dozwolonych adresów IP API.',
    en: 'The source shop refuses connections from the panel’s address. Add it to the API’s allowed IP list.',
  },
  SOURCE_RATE_LIMITED: {
    pl: 'Sklep źródłowy ogranicza liczbę zapytań. Spróbuj ponownie za kilka minut.',
    en: 'The source shop is limiting requests. Try again in a few minutes.',
  },
  SOURCE_SERVER_ERROR: {
    pl: 'Sklep źródłowy zgłosił błąd serwera. Spróbuj ponownie później.',
    en: 'The source shop reported a server error. Try again later.',
  },
  SOURCE_BAD_RESPONSE: {
    pl: 'Sklep źródłowy zwrócił nieoczekiwaną odpowiedź. Sprawdź domenę i wybraną platformę.',
    en: 'The source shop sent an unexpected answer. Check the domain and the chosen platform.',
  },
  SOURCE_TLS_ERROR: {
    pl: 'Certyfikat bezpieczeństwa sklepu jest nieprawidłowy.',
    en: 'The shop’s security certificate is not valid.',
  },
  SOURCE_INCONSISTENT: {
    pl: 'Lista klientów w sklepie źródłowym zmieniała się w trakcie pobierania (lub sklep podał więcej klientów, niż przesłał) i ponowne odczyty jej nie uzgodniły. Pobieranie zatrzymano, żeby żaden klient nie zginął ani nie powtórzył się. Wznów je za chwilę.',
    en: 'The source shop’s customer list kept changing during the fetch (or the shop counted more customers than it sent) and re-reading did not settle it. The fetch stopped so that no customer goes missing or repeats. Resume it in a moment.',
  },
  SOURCE_UNAVAILABLE: {
    pl: 'Sklep źródłowy przestał odpowiadać poprawnie (wiele nieudanych zapytań z rzędu). Pobieranie zatrzymano. Wznów je, gdy sklep znów będzie działał.',
    en: 'The source shop stopped answering correctly (many failed requests in a row). The fetch stopped. Resume it once the shop works again.',
  },
  CREDENTIALS_UNREADABLE: {
    pl: 'Zapisanych danych logowania nie da się odczytać (klucz szyfrowania panelu został usunięty). Przywróć klucz albo usuń źródło i zleć import ponownie.',
    en: 'The stored credentials cannot be read (the panel’s encryption key was removed). Restore the key, or delete the source and queue the import again.',
  },
}

export const ConnectionError = z.object({ code: ConnectionErrorCode, message: z.string() })
export type ConnectionError = z.infer<typeof ConnectionError>
