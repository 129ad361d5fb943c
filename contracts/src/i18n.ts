/** A text in the two languages of the UI: Polish (default) and English. */
export type Localized = { pl: string; en: string }
export const LOCALES = ['pl', 'en'] as const
export type Locale = (typeof LOCALES)[number]
