import { describe, expect, it } from 'vitest'
import type { PanelCustomerRef } from '../../ports.ts'
import { classifyEmailClash, makeExternalRef } from './email-clash.ts'

describe('classifyEmailClash', () => {
  const ref = (externalRef: string | null): PanelCustomerRef => ({ id: '55', email: 'jan@example.pl', login: 'jan', externalRef })
  it.each([
    ['no panel customer has the e-mail', undefined, 'none'],
    ['this very customer, imported before', ref('cm:7:1001'), 'same_customer'],
    ['another customer of the same import', ref('cm:7:1002'), 'duplicate_in_file'],
    ['a customer the panel had before', ref(null), 'taken'],
    ['a customer of another import', ref('cm:8:1001'), 'taken'],
    ['an import id that only starts the same', ref('cm:70:1001'), 'taken'],
  ] as const)('%s → %s', (_name, existing, expected) => {
    expect(classifyEmailClash(existing, '7', '1001')).toBe(expected)
  })

  it('builds the external ref the clash is judged by', () => {
    expect(makeExternalRef('7', '1001')).toBe('cm:7:1001')
  })
})
