/** Data-driven: every folder under fixtures/ is one case (customer.json → expected.json), plus the helpers. */
import { describe, expect, it } from 'vitest'
import { CanonicalCustomer } from '@cm/contracts'
import { buildMagentoLookups, magentoBirthDate, magentoStreet, magentoUtcToIso, mapMagentoCustomer } from './magento2.mapper.ts'
import { magento2FixtureCases } from './magento2.testing.ts'
import { errorText, fillPlaceholders, MagentoCustomer } from './magento2.types.ts'

describe('magento2 mapper fixtures', () => {
  const cases = magento2FixtureCases()
  it('has the cases', () => expect(cases.length).toBeGreaterThanOrEqual(8))

  it.each(cases)('$name', (c) => {
    expect(c.actual, c.name).toEqual(c.expected)
    CanonicalCustomer.parse((c.actual as { customer: unknown }).customer)
  })
})

describe('magento2 mapper helpers', () => {
  it('says the UTC of created_at; junk and zero dates → ""', () => {
    expect(magentoUtcToIso('2017-12-05 09:50:11')).toBe('2017-12-05T09:50:11Z')
    expect(magentoUtcToIso('0000-00-00 00:00:00')).toBe('')
    expect(magentoUtcToIso('wczoraj')).toBe('')
    expect(magentoUtcToIso('')).toBe('')
  })

  it('keeps a dob date, takes the date of a midnight date-time, drops the rest', () => {
    expect(magentoBirthDate('1973-12-15')).toBe('1973-12-15')
    expect(magentoBirthDate('1973-12-15 00:00:00')).toBe('1973-12-15')
    expect(magentoBirthDate('0000-00-00')).toBe('')
    expect(magentoBirthDate('15.12.1973')).toBe('')
  })

  it('joins 1–4 street lines with spaces, skipping empty ones', () => {
    expect(magentoStreet(['Długa', '5/3'])).toBe('Długa 5/3')
    expect(magentoStreet([' ul. Polna 1 ', '', ' lok. 2', 'III piętro'])).toBe('ul. Polna 1 lok. 2 III piętro')
    expect(magentoStreet([])).toBe('')
  })

  it('prefers taxvat to the billing address’s vat_id, and does not invent consent from is_subscribed false', () => {
    const lookups = buildMagentoLookups([], [])
    const base = { id: 1, email: 'a@example.com', default_billing: '5', addresses: [{ id: 5, vat_id: 'PL1', company: 'Firma' }] }
    expect(mapMagentoCustomer(MagentoCustomer.parse({ ...base, taxvat: ' PL2 ' }), lookups).vatNumber).toBe('PL2')
    expect(mapMagentoCustomer(MagentoCustomer.parse(base), lookups).vatNumber).toBe('PL1')
    expect(mapMagentoCustomer(MagentoCustomer.parse({ ...base, extension_attributes: { is_subscribed: false } }), lookups).consents).toEqual([])
    expect(mapMagentoCustomer(MagentoCustomer.parse({ ...base, extension_attributes: { is_subscribed: true } }), lookups).consents).toEqual([{ channel: 'email', granted: true, date: null }])
  })

  it('refuses a row without an id; drops an unreadable address, not the customer', () => {
    expect(MagentoCustomer.safeParse({ email: 'bez.id@example.com' }).success).toBe(false)
    const c = MagentoCustomer.parse({ id: 9, addresses: [{ id: 1, street: ['A 1'] }, 'junk', null] })
    expect(c.addresses).toHaveLength(1)
  })
})

describe('magento2 error bodies', () => {
  it('fills %name from an object and %1 from a list (%10 before %1)', () => {
    expect(fillPlaceholders("The consumer isn't authorized to access %resources.", { resources: 'Magento_Customer::customer' })).toBe(
      "The consumer isn't authorized to access Magento_Customer::customer.",
    )
    expect(fillPlaceholders('Signature method %1 is not supported', ['HMAC-SHA1'])).toBe('Signature method HMAC-SHA1 is not supported')
    expect(fillPlaceholders('%1-%10', Array.from({ length: 10 }, (_, i) => `p${i + 1}`))).toBe('p1-p10')
    expect(fillPlaceholders('bez parametrów', undefined)).toBe('bez parametrów')
  })

  it('adds an aggregate’s errors', () => {
    const body = {
      message: 'One or more input exceptions have occurred.',
      errors: [
        { message: '"%fieldName" is required. Enter and try again.', parameters: { fieldName: 'oauth_nonce' } },
        { message: '"%fieldName" is required. Enter and try again.', parameters: { fieldName: 'oauth_token' } },
      ],
    }
    expect(errorText(body)).toBe('One or more input exceptions have occurred. ("oauth_nonce" is required. Enter and try again.; "oauth_token" is required. Enter and try again.)')
  })
})
