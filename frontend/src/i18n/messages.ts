/** The shapes of the module's messages and the helpers that turn contract texts into them. */
import type { Locale, Localized } from '@cm/contracts'

export type Tree = { [k: string]: string | Tree }

/** A group of screens' texts in every language, added to the module's i18n when they first show. */
export type MessageSection = Record<Locale, Tree>

/**
 * Contract texts become vue-i18n messages: `{name}` stays a named parameter, while the
 * characters vue-i18n gives a meaning (`@` links, `|` plurals, `$`, `%`) become literals.
 */
export function toMessage(text: string): string {
  return text.replace(/[@|$%]/g, (c) => `{'${c}'}`)
}

export function pick(src: Record<string, Localized>, locale: Locale): Record<string, string> {
  return Object.fromEntries(Object.entries(src).map(([k, v]) => [k, toMessage(v[locale])]))
}
