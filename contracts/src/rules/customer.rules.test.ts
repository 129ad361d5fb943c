import { describe, expect, it } from 'vitest'
import { customerErrorMessage } from '../index.ts'
import type { PanelCustomerDraft as NewPanelCustomer } from './panel-customer.ts'
import { normalizePhone, validateCustomer } from './customer.rules.ts'

const NOW = new Date('2025-06-15T12:00:00Z')
const ctx = { knownShopIds: new Set(['1', '2']), now: NOW }

/** A customer the panel accepts as it is; each row breaks it in a realistic way. */
const valid: NewPanelCustomer = {
  externalRef: 'cm:7:1001',
  login: 'jankowalski',
  email: 'jan.kowalski@example.pl',
  type: 'person',
  firstName: 'Jan',
  lastName: 'Kowalski',
  company: '',
  vatNumber: '',
  phone: '+48600700800',
  birthDate: '1985-03-21',
  street: 'ul. Marszałkowska 10/4',
  postcode: '00-590',
  city: 'Warszawa',
  countryCode: 'PL',
  language: 'pl',
  shopIds: ['1'],
  newsletterEmail: false,
  newsletterSms: false,
  deliveryAddresses: [],
}

type Row = [name: string, patch: Partial<NewPanelCustomer>, expected: Array<[code: string, field?: string]>]

const rows: Row[] = [
  ['a complete Polish customer', {}, []],
  ['a firm with company and NIP, no names', { type: 'firm', firstName: '', lastName: '', company: 'Piekarnia Sp. z o.o.', vatNumber: '526-025-02-74' }, []],
  ['NIP with PL prefix and spaces', { vatNumber: 'PL 774 000 14 54' }, []],
  ['German customer with a German VAT number', { countryCode: 'DE', postcode: '10115', city: 'Berlin', street: 'Unter den Linden 5', phone: '+49 30 123456', vatNumber: 'DE123456789' }, []],
  ['Czech postcode with a space', { countryCode: 'CZ', postcode: '110 00', city: 'Praha', phone: '' }, []],
  ['country without a postcode pattern', { countryCode: 'XK', postcode: '10000', city: 'Prishtina', phone: '' }, []],
  ['phone without prefix read as Polish', { phone: '600 700 800' }, []],
  ['empty optional fields', { phone: '', vatNumber: '', birthDate: '' }, []],
  ['login missing', { login: '' }, [['LOGIN_MISSING', 'login']]],
  ['login with a dot and capitals', { login: 'Jan.Kowalski' }, [['LOGIN_INVALID', 'login']]],
  ['login with Polish letters', { login: 'łukasz' }, [['LOGIN_INVALID', 'login']]],
  ['login too long', { login: 'a'.repeat(65) }, [['FIELD_TOO_LONG', 'login']]],
  ['e-mail missing', { email: '  ' }, [['EMAIL_MISSING', 'email']]],
  ['e-mail without domain', { email: 'jan.kowalski@' }, [['EMAIL_INVALID', 'email']]],
  ['e-mail with Polish letters', { email: 'józef.żak@example.pl' }, [['EMAIL_INVALID', 'email']]],
  ['e-mail with two dots', { email: 'jan..kowalski@example.pl' }, [['EMAIL_INVALID', 'email']]],
  ['person without names', { firstName: '', lastName: '' }, [['FIRSTNAME_MISSING', 'firstName'], ['LASTNAME_MISSING', 'lastName']]],
  ['person without last name', { lastName: ' ' }, [['LASTNAME_MISSING', 'lastName']]],
  ['firm without company name', { type: 'firm', firstName: '', lastName: '', vatNumber: '5260250274' }, [['COMPANY_MISSING', 'company']]],
  ['no billing address at all', { street: '', postcode: '', city: '' }, [['STREET_MISSING', 'billingAddress.street'], ['CITY_MISSING', 'billingAddress.city'], ['POSTCODE_MISSING', 'billingAddress.postcode']]],
  ['Polish postcode without dash', { postcode: '00590' }, [['POSTCODE_INVALID', 'billingAddress.postcode']]],
  ['Polish postcode with letters', { postcode: '0O-59O' }, [['POSTCODE_INVALID', 'billingAddress.postcode']]],
  ['German postcode with country PL', { postcode: '10115' }, [['POSTCODE_INVALID', 'billingAddress.postcode']]],
  ['country empty: no postcode check', { countryCode: '', postcode: '10115' }, [['COUNTRY_INVALID', 'billingAddress.countryCode']]],
  ['country as a name', { countryCode: 'Polska' }, [['COUNTRY_INVALID', 'billingAddress.countryCode']]],
  ['unknown country code', { countryCode: 'XX' }, [['COUNTRY_INVALID', 'billingAddress.countryCode']]],
  ['alpha-3 country code', { countryCode: 'POL' }, [['COUNTRY_INVALID', 'billingAddress.countryCode']]],
  ['phone too short', { phone: '600 700' }, [['PHONE_INVALID', 'phone']]],
  ['phone with letters', { phone: 'brak' }, [['PHONE_INVALID', 'phone']]],
  ['8-digit Polish number', { phone: '600-700-80' }, [['PHONE_INVALID', 'phone']]],
  ['NIP with a wrong checksum', { vatNumber: '1234567890' }, [['VAT_INVALID', 'vatNumber']]],
  ['NIP too short', { vatNumber: '526025027' }, [['VAT_INVALID', 'vatNumber']]],
  ['German VAT made of letters', { vatNumber: 'DE-ABCDEF' }, [['VAT_INVALID', 'vatNumber']]],
  ['birth date in Polish order', { birthDate: '21.03.1985' }, [['BIRTHDATE_INVALID', 'birthDate']]],
  ['birth date 30 February', { birthDate: '1990-02-30' }, [['BIRTHDATE_INVALID', 'birthDate']]],
  ['birth date before 1900', { birthDate: '1899-12-31' }, [['BIRTHDATE_INVALID', 'birthDate']]],
  ['birth date today', { birthDate: '2025-06-15' }, [['BIRTHDATE_INVALID', 'birthDate']]],
  ['birth date placeholder', { birthDate: '0000-00-00' }, [['BIRTHDATE_INVALID', 'birthDate']]],
  ['company name too long', { company: 'P'.repeat(201), type: 'firm' }, [['FIELD_TOO_LONG', 'company']]],
  ['street too long', { street: 'ul. '.repeat(60) }, [['FIELD_TOO_LONG', 'billingAddress.street']]],
  ['first name at the limit (Polish letters count once)', { firstName: 'Ż'.repeat(100) }, []],
  ['unknown shop', { shopIds: ['1', '9'] }, [['SHOP_INVALID']]],
  ['a removed shop among several', { shopIds: ['2', '1', 'stary-sklep'] }, [['SHOP_INVALID']]],
  ['no shops given: shop links are not checked (edit preview)', { shopIds: [] }, []],
  [
    'a messy record: several problems at once',
    { login: '', email: 'kowalski(at)wp.pl', firstName: '', postcode: '00590', phone: '12', vatNumber: '111', birthDate: '1985-13-01' },
    [
      ['LOGIN_MISSING', 'login'],
      ['EMAIL_INVALID', 'email'],
      ['FIRSTNAME_MISSING', 'firstName'],
      ['POSTCODE_INVALID', 'billingAddress.postcode'],
      ['PHONE_INVALID', 'phone'],
      ['VAT_INVALID', 'vatNumber'],
      ['BIRTHDATE_INVALID', 'birthDate'],
    ],
  ],
]

describe('validateCustomer', () => {
  it.each(rows)('%s', (_name, patch, expected) => {
    const errors = validateCustomer({ ...valid, ...patch }, ctx)
    expect(errors.map((e) => (e.field === undefined ? [e.code] : [e.code, e.field]))).toEqual(expected)
  })

  it('builds messages from the contract, with the field label, limit and country', () => {
    const [tooLong] = validateCustomer({ ...valid, lastName: 'K'.repeat(101) }, ctx)
    expect(tooLong?.message).toBe(customerErrorMessage('FIELD_TOO_LONG', 'pl', { field: 'Nazwisko', max: 100 }))
    const [postcode] = validateCustomer({ ...valid, postcode: '00590' }, { ...ctx, locale: 'en' })
    expect(postcode?.message).toBe(customerErrorMessage('POSTCODE_INVALID', 'en', { country: 'PL' }))
    const [vat] = validateCustomer({ ...valid, vatNumber: 'DE-ABCDEF' }, ctx)
    expect(vat?.message).toContain('DE')
  })

  it('uses the current date when none is given', () => {
    expect(validateCustomer({ ...valid, birthDate: '2999-01-01' }, { knownShopIds: ctx.knownShopIds }).map((e) => e.code)).toEqual([
      'BIRTHDATE_INVALID',
    ])
  })
})

describe('normalizePhone', () => {
  it.each([
    ['600 700 800', 'PL', '+48600700800'],
    ['+48 (12) 345-67-89', 'PL', '+48123456789'],
    ['0048 600 700 800', 'PL', '+48600700800'],
    ['030 123456', 'DE', '+4930123456'],
    ['600 700 800', '', '+48600700800'],
    ['600 700', 'PL', null],
    ['brak', 'PL', null],
  ])('%s (%s) → %s', (raw, country, e164) => {
    expect(normalizePhone(raw, country)).toBe(e164)
  })
})
