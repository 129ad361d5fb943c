/**
 * Two languages, Polish first. Labels that are data (statuses, error codes, platform fields)
 * come from contracts; screen texts live beside their screen in *.messages.ts files.
 *
 * The first screen's texts are here; the other screens bring theirs with their lazy chunks
 * (useMessages in their setup, so they are in place before the screen first renders).
 *
 * Components read the module's own i18n through useI18n() below, never vue-i18n's: the module
 * may render inside a host's Vue app, which may have no vue-i18n or one with its own texts.
 */
import { inject, provide, type App, type InjectionKey } from 'vue'
import { createI18n, type Composer } from 'vue-i18n'
import type { Locale, PlatformId } from '@cm/contracts'
import { API_ERROR_MESSAGES, IMPORT_STATUS_LABELS } from '../contract/first-screen.data.ts'
import { appMessages } from './app.messages.ts'
import { pick, type MessageSection, type Tree } from './messages.ts'
import { compileMessages } from './compile.ts'

export { toMessage } from './messages.ts'
export type { MessageSection } from './messages.ts'

/** the message key of a connection error: in the platform's terms when the platform is known */
export function connectionErrorKey(platform: PlatformId | null | undefined, code: string): string {
  return platform ? `connectionErrorOn.${platform}.${code}` : `connectionError.${code}`
}

/** the first screen's texts (raw: compile.test.ts compares them with vue-i18n's own compiler) */
export function firstScreenMessages(locale: Locale): Tree {
  return {
    ...appMessages[locale],
    status: pick(IMPORT_STATUS_LABELS, locale),
    apiError: pick(API_ERROR_MESSAGES, locale),
  }
}

export interface ModuleI18n {
  global: Composer
  /** as a plugin (mount(), tests): provides the module's i18n to the app */
  install(app: App): void
  dispose(): void
}

const MODULE_I18N: InjectionKey<ModuleI18n> = Symbol('customer-migration i18n')

export function createModuleI18n(locale: Locale): ModuleI18n {
  const i18n = createI18n({
    legacy: false,
    locale,
    fallbackLocale: 'pl',
    // message functions (compile.ts): the remote ships without vue-i18n's message compiler
    messages: { pl: compileMessages(firstScreenMessages('pl')), en: compileMessages(firstScreenMessages('en')) } as never,
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
  const moduleI18n: ModuleI18n = {
    global: i18n.global as unknown as Composer,
    install(app) {
      app.provide(MODULE_I18N, moduleI18n)
      app.onUnmount(() => i18n.dispose())
    },
    dispose: () => i18n.dispose(),
  }
  return moduleI18n
}

/** For the Vue component the host renders: the module's i18n for everything below it. */
export function provideModuleI18n(i18n: ModuleI18n): void {
  provide(MODULE_I18N, i18n)
}

/** The module's composer (t, te, locale) in a component's setup. */
export function useI18n(): Composer {
  const i18n = inject(MODULE_I18N, null)
  if (!i18n) throw new Error('the module i18n is missing: install createModuleI18n() or call provideModuleI18n()')
  return i18n.global
}

const added = new WeakMap<Composer, Set<MessageSection>>()

/** Adds a section's texts in every language, once per i18n. */
export function addMessages(composer: Composer, section: MessageSection): void {
  let done = added.get(composer)
  if (!done) added.set(composer, (done = new Set()))
  if (done.has(section)) return
  done.add(section)
  for (const [locale, messages] of Object.entries(section)) composer.mergeLocaleMessage(locale, compileMessages(messages) as never)
}

/** In a lazy screen's setup: its texts, before it first renders (no keys flash on screen). */
export function useMessages(section: MessageSection): void {
  addMessages(useI18n(), section)
}
