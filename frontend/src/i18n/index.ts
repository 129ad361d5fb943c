/**
 * Two languages, Polish first. Labels that are data (statuses, error codes, platform fields)
 * come from contracts; screen texts live beside their screen in messages.ts files merged here.
 */
import { createI18n } from 'vue-i18n'
import {
  API_ERROR_MESSAGES,
  CONNECTION_ERROR_CODES,
  CONNECTION_ERROR_MESSAGES,
  PLATFORM_IDS,
  connectionErrorText,
  CUSTOMER_ERROR_MESSAGES,
  IMPORT_STATUS_LABELS,
  SKIP_REASON_LABELS,
  type Locale,
  type Localized,
  type PlatformId,
} from '@cm/contracts'
import { appMessages } from './app.messages.ts'

type Tree = { [k: string]: string | Tree }

/**
 * Contract texts become vue-i18n messages: `{name}` stays a named parameter, while the
 * characters vue-i18n gives a meaning (`@` links, `|` plurals, `$`, `%`) become literals.
 */
export function toMessage(text: string): string {
  return text.replace(/[@|$%]/g, (c) => `{'${c}'}`)
}

function pick(src: Record<string, Localized>, locale: Locale): Record<string, string> {
  return Object.fromEntries(Object.entries(src).map(([k, v]) => [k, toMessage(v[locale])]))
}

/** every platform's connection reasons in its own terms (platform-errors.ts), by platform and code */
function platformConnectionErrors(locale: Locale): Tree {
  return Object.fromEntries(
    PLATFORM_IDS.map((p) => [p, Object.fromEntries(CONNECTION_ERROR_CODES.map((c) => [c, toMessage(connectionErrorText(p, c)[locale])]))]),
  )
}

/** the message key of a connection error: in the platform's terms when the platform is known */
export function connectionErrorKey(platform: PlatformId | null | undefined, code: string): string {
  return platform ? `connectionErrorOn.${platform}.${code}` : `connectionError.${code}`
}

function messages(locale: Locale): Tree {
  return {
    ...appMessages[locale],
    status: pick(IMPORT_STATUS_LABELS, locale),
    apiError: pick(API_ERROR_MESSAGES, locale),
    connectionError: pick(CONNECTION_ERROR_MESSAGES, locale),
    connectionErrorOn: platformConnectionErrors(locale),
    customerError: pick(CUSTOMER_ERROR_MESSAGES, locale),
    skipReason: pick(SKIP_REASON_LABELS, locale),
  }
}

export function createModuleI18n(locale: Locale) {
  return createI18n({
    legacy: false,
    locale,
    fallbackLocale: 'pl',
    messages: { pl: messages('pl'), en: messages('en') },
    // Polish number and date formats by default
    numberFormats: {
      pl: { integer: { maximumFractionDigits: 0 }, percent: { style: 'percent', maximumFractionDigits: 0 } },
      en: { integer: { maximumFractionDigits: 0 }, percent: { style: 'percent', maximumFractionDigits: 0 } },
    },
    datetimeFormats: {
      pl: { short: { dateStyle: 'short', timeStyle: 'short' } },
      en: { short: { dateStyle: 'short', timeStyle: 'short' } },
    },
  })
}
export type ModuleI18n = ReturnType<typeof createModuleI18n>
