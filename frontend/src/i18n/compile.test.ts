import { describe, expect, it } from 'vitest'
import { createI18n } from 'vue-i18n'
import type { Locale } from '@cm/contracts'
import { addMessages, createModuleI18n, firstScreenMessages } from './index.ts'
import { compileMessage, parseMessage } from './compile.ts'
import { bufferMessages } from './buffer.messages.ts'
import { wizardMessages } from './wizard.messages.ts'
import type { Tree } from './messages.ts'

function leaves(tree: Tree, prefix = ''): [string, string][] {
  return Object.entries(tree).flatMap(([k, v]) => (typeof v === 'string' ? [[prefix + k, v] as [string, string]] : leaves(v, `${prefix}${k}.`)))
}

const LOCALES: Locale[] = ['pl', 'en']
const all = (locale: Locale): Tree => ({ ...firstScreenMessages(locale), ...wizardMessages[locale], ...bufferMessages[locale] })

describe("the module's message functions", () => {
  it('read named and list parameters and literals', () => {
    expect(parseMessage("Zaznaczono {n} z { total }, {0}{'@'}{'{'}")).toEqual(['Zaznaczono ', { named: 'n' }, ' z ', { named: 'total' }, ', ', { list: 0 }, '@{'])
    expect(() => parseMessage('a@b.pl')).toThrow(/'@'/)
    expect(() => parseMessage('jeden | wiele')).toThrow(/'\|'/)
    expect(() => parseMessage('{a.b}')).toThrow(/placeholder/)
  })

  it.each(LOCALES)('render every text (%s) exactly as vue-i18n compiles it', (locale) => {
    const texts = all(locale)
    // vue-i18n's own compiler (vitest runs vue-i18n with it) on the raw texts
    const reference = createI18n({ legacy: false, locale, messages: { [locale]: texts }, missingWarn: false, fallbackWarn: false }).global
    const ours = createModuleI18n(locale).global
    addMessages(ours, wizardMessages)
    addMessages(ours, bufferMessages)
    const list = ['‹0›', '‹1›']
    expect(leaves(texts).length).toBeGreaterThan(300)
    expect(reference.t('flow.shopPicker.selected', { n: 2, total: 3 })).toBe(locale === 'pl' ? 'Zaznaczono 2 z 3' : '2 of 3 selected')
    for (const [key, text] of leaves(texts)) {
      const named = Object.fromEntries(parseMessage(text).flatMap((p) => (typeof p === 'object' && 'named' in p ? [[p.named, `‹${p.named}›`]] : [])))
      expect(ours.t(key, named), key).toBe(reference.t(key, named))
      if (parseMessage(text).some((p) => typeof p === 'object' && 'list' in p)) expect(ours.t(key, list), key).toBe(reference.t(key, list))
    }
  })

  it('leaves no text for a compiler to compile (the built remote has none)', () => {
    const i18n = createModuleI18n('pl').global
    addMessages(i18n, wizardMessages)
    addMessages(i18n, bufferMessages)
    const strings = (tree: unknown): number => (typeof tree === 'string' ? 1 : tree && typeof tree === 'object' ? Object.values(tree).reduce((n: number, v) => n + strings(v), 0) : 0)
    for (const locale of LOCALES) expect(strings(i18n.getLocaleMessage(locale))).toBe(0)
  })

  it('shows parameters as vue-i18n does: a missing one empty, numbers as text', () => {
    const i18n = createModuleI18n('pl').global
    expect(i18n.t('flow.shopPicker.selected', { n: 2 })).toBe('Zaznaczono 2 z ')
    const ctx = { named: (k: string) => ({ a: 0, b: null })[k], list: () => undefined }
    expect(compileMessage('{a}-{b}-{c}')(ctx as never)).toBe('0--')
  })
})
