import { describe, expect, it } from 'vitest'
import { CUSTOMER_ERROR_CODES, CUSTOMER_ERROR_MESSAGES, IMPORT_STATUS_LABELS, customerErrorMessage } from '@cm/contracts'
import { createModuleI18n } from './index.ts'

describe('contract texts through vue-i18n', () => {
  const { t } = createModuleI18n('pl').global
  it.each(CUSTOMER_ERROR_CODES)('%s renders as the contracts say (e-mail addresses with @ included)', (code) => {
    expect(t(`customerError.${code}`, { field: 'Nazwisko', max: 100, country: 'PL' })).toBe(customerErrorMessage(code, 'pl', { field: 'Nazwisko', max: 100, country: 'PL' }))
  })
  it('has every status label in Polish and in English', () => {
    const en = createModuleI18n('en').global
    expect(t('status.awaiting_xml')).toBe(IMPORT_STATUS_LABELS.awaiting_xml.pl)
    expect(en.t('status.awaiting_verification')).toBe(IMPORT_STATUS_LABELS.awaiting_verification.en)
    expect(CUSTOMER_ERROR_MESSAGES.EMAIL_INVALID.pl).toContain('@')
  })
})
