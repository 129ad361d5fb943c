/**
 * Mapping helpers every connector shares: ISO country codes from a code or a country's name,
 * a shop's local date-time without an invented zone, and locales to ISO 639-1 languages.
 */
import countries from 'i18n-iso-countries'
import en from 'i18n-iso-countries/langs/en.json' with { type: 'json' }
import pl from 'i18n-iso-countries/langs/pl.json' with { type: 'json' }

// shops name countries in Polish (Polska, Niemcy…) or, as the second guess, in English
countries.registerLocale(pl)
countries.registerLocale(en)

/** ISO 3166-1 alpha-2 for `country_code`, else the country's name (Polish or English), else "" */
export function countryCodeOf(code: string, name: string): string {
  const c = code.trim().toUpperCase()
  if (c) return c
  const n = name.trim()
  if (!n) return ''
  return countries.getAlpha2Code(n, 'pl') ?? countries.getAlpha2Code(n, 'en') ?? ''
}

/** "2026-06-28 21:59:15" → "2026-06-28T21:59:15": local shop time, no zone invented; else "" */
export function localDateTimeToIso(value: string | null): string {
  const [, day, time] = value?.trim().match(/^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}:\d{2}:\d{2}))?/) ?? []
  if (!day || day.startsWith('0000')) return ''
  return `${day}T${time ?? '00:00:00'}`
}

/** "pl_PL" → "pl", "en-US" → "en", unknown → "" */
export function localeToLanguage(locale: string | undefined): string {
  const lang = locale?.trim().split(/[_-]/)[0]?.toLowerCase() ?? ''
  return /^[a-z]{2}$/.test(lang) ? lang : ''
}
