import { describe, expect, it } from 'vitest'
import { CUSTOMER_ERROR_CODES, CUSTOMER_ERROR_MESSAGES, IMPORT_STATUS_LABELS, customerErrorMessage } from '@cm/contracts'
import { addMessages, createModuleI18n } from './index.ts'
import { bufferMessages } from './buffer.messages.ts'
import { wizardMessages } from './wizard.messages.ts'

describe('contract texts through vue-i18n', () => {
  const { t } = createModuleI18n('pl').global
  it.each(CUSTOMER_ERROR_CODES)('%s renders as the contracts say (e-mail addresses with @ included)', (code) => {
    const i18n = createModuleI18n('pl').global
    addMessages(i18n, bufferMessages)
    expect(i18n.t(`customerError.${code}`, { field: 'Nazwisko', max: 100, country: 'PL' })).toBe(customerErrorMessage(code, 'pl', { field: 'Nazwisko', max: 100, country: 'PL' }))
  })
  it('has every status label in Polish and in English', () => {
    const en = createModuleI18n('en').global
    expect(t('status.awaiting_xml')).toBe(IMPORT_STATUS_LABELS.awaiting_xml.pl)
    expect(en.t('status.awaiting_verification')).toBe(IMPORT_STATUS_LABELS.awaiting_verification.en)
    expect(CUSTOMER_ERROR_MESSAGES.EMAIL_INVALID.pl).toContain('@')
  })
})

describe('texts in sections', () => {
  it("the first screen's texts are there from the start, a section's once it is added (in both languages)", () => {
    const i18n = createModuleI18n('pl').global
    expect(i18n.te('imports.title')).toBe(true)
    expect(i18n.te('buffer.title')).toBe(false)
    expect(i18n.te('platform.title')).toBe(false)
    addMessages(i18n, bufferMessages)
    addMessages(i18n, wizardMessages)
    expect(i18n.te('buffer.title')).toBe(true)
    expect(i18n.te('connectionErrorOn.shoper.SOURCE_AUTH_FAILED')).toBe(true)
    i18n.locale.value = 'en'
    expect(i18n.t('platform.title')).toBe('Choose the source shop platform')
    expect(i18n.t('imports.title')).not.toBe('imports.title')
  })

  it('adds a section once, however many screens ask for it', () => {
    const i18n = createModuleI18n('pl').global
    addMessages(i18n, bufferMessages)
    i18n.mergeLocaleMessage('pl', { buffer: { title: 'zmienione' } })
    addMessages(i18n, bufferMessages)
    expect(i18n.t('buffer.title')).toBe('zmienione')
  })
})
