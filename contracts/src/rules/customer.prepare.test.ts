import { describe, expect, it } from 'vitest'
import type { Address, CanonicalCustomer, CustomerEdit } from '../index.ts'
import type { PanelCustomerDraft as NewPanelCustomer } from './panel-customer.ts'
import { applyEdit, panelCountryCode, prepareForPanel } from './customer.prepare.ts'

const address = (a: Partial<Address>): Address => ({
  firstName: '',
  lastName: '',
  company: '',
  street: '',
  postcode: '',
  city: '',
  countryCode: '',
  phone: '',
  vatNumber: '',
  isDefaultBilling: false,
  isDefaultShipping: false,
  ...a,
})

const home = address({
  firstName: 'Anna',
  lastName: 'Nowak',
  street: 'ul. Długa 5',
  postcode: '80-831',
  city: 'Gdańsk',
  countryCode: 'pl',
  phone: '501 234 567',
  isDefaultBilling: true,
})
const office = address({
  firstName: 'Anna',
  lastName: 'Nowak',
  company: 'Biuro Rachunkowe Nowak',
  street: 'al. Grunwaldzka 100',
  postcode: '80-244',
  city: 'Gdańsk',
  countryCode: 'PL',
  isDefaultShipping: true,
})

const customer = (c: Partial<CanonicalCustomer>): CanonicalCustomer => ({
  sourceId: '1001',
  login: '',
  email: 'anna.nowak@example.pl',
  firstName: 'Anna',
  lastName: 'Nowak',
  company: '',
  vatNumber: '',
  phone: '',
  birthDate: '',
  language: 'pl',
  group: '',
  active: true,
  registeredAt: '2021-04-01T10:00:00Z',
  addresses: [home],
  consents: [],
  ...c,
})

const opts = { shopIds: ['1'], login: 'annanowak', externalRef: 'cm:7:1001' }

type Row = [name: string, input: CanonicalCustomer, expected: Partial<NewPanelCustomer>]

const rows: Row[] = [
  [
    'a person with one address',
    customer({ email: '  Anna.Nowak@Example.pl ' }),
    {
      externalRef: 'cm:7:1001',
      login: 'annanowak',
      email: 'Anna.Nowak@Example.pl',
      type: 'person',
      firstName: 'Anna',
      lastName: 'Nowak',
      street: 'ul. Długa 5',
      postcode: '80-831',
      city: 'Gdańsk',
      countryCode: 'PL',
      phone: '+48501234567',
      language: 'pl',
      shopIds: ['1'],
      deliveryAddresses: [],
    },
  ],
  ['names missing on the record come from the billing address', customer({ firstName: '', lastName: ' ' }), { firstName: 'Anna', lastName: 'Nowak' }],
  ['customer-level phone wins', customer({ phone: '+48 600 700 800' }), { phone: '+48600700800' }],
  ['an invalid phone is kept for the rules to report', customer({ phone: '123' }), { phone: '123' }],
  ['company on the billing address makes a firm', customer({ addresses: [{ ...home, company: 'Kwiaciarnia Róża', vatNumber: '5260250274' }] }), { type: 'firm', company: 'Kwiaciarnia Róża', vatNumber: '5260250274' }],
  ['customer-level company and VAT win', customer({ company: 'Nowak S.A.', vatNumber: '7740001454', addresses: [{ ...home, company: 'Stara Nazwa', vatNumber: '5260250274' }] }), { type: 'firm', company: 'Nowak S.A.', vatNumber: '7740001454' }],
  ['a NIP without names makes a firm (reported COMPANY_MISSING later)', customer({ firstName: '', lastName: '', vatNumber: '5260250274', addresses: [{ ...home, firstName: '', lastName: '' }] }), { type: 'firm', company: '' }],
  ['a person with a NIP stays a person', customer({ vatNumber: '5260250274' }), { type: 'person' }],
  ['no address at all', customer({ addresses: [] }), { street: '', postcode: '', city: '', countryCode: 'PL', phone: '', deliveryAddresses: [] }],
  ['no country, Polish postcode → PL', customer({ addresses: [{ ...home, countryCode: '' }] }), { countryCode: 'PL' }],
  ['no country, German postcode → stays empty', customer({ addresses: [{ ...home, countryCode: '', postcode: '10115' }] }), { countryCode: '' }],
  [
    'the default shipping address becomes the first delivery address',
    customer({ addresses: [address({ ...office, isDefaultShipping: false, street: 'ul. Polna 1' }), home, office] }),
    {
      street: 'ul. Długa 5',
      deliveryAddresses: [
        { firstName: 'Anna', lastName: 'Nowak', company: 'Biuro Rachunkowe Nowak', street: 'al. Grunwaldzka 100', postcode: '80-244', city: 'Gdańsk', countryCode: 'PL', phone: '' },
        { firstName: 'Anna', lastName: 'Nowak', company: 'Biuro Rachunkowe Nowak', street: 'ul. Polna 1', postcode: '80-244', city: 'Gdańsk', countryCode: 'PL', phone: '' },
      ],
    },
  ],
  [
    'a copy of the billing address is not a delivery address',
    customer({ addresses: [home, { ...home, isDefaultBilling: false, isDefaultShipping: true, countryCode: 'PL', phone: '+48501234567' }] }),
    { deliveryAddresses: [] },
  ],
  [
    'a nameless delivery address gets the customer’s names; an incomplete one is dropped',
    customer({ addresses: [home, address({ street: 'ul. Krótka 2', postcode: '81-001', city: 'Gdynia' }), address({ street: 'ul. Bez Miasta 3' })] }),
    { deliveryAddresses: [{ firstName: 'Anna', lastName: 'Nowak', company: '', street: 'ul. Krótka 2', postcode: '81-001', city: 'Gdynia', countryCode: 'PL', phone: '' }] },
  ],
  ['no flagged billing address: the first one is used', customer({ addresses: [{ ...home, isDefaultBilling: false }] }), { street: 'ul. Długa 5', deliveryAddresses: [] }],
  [
    'granted consents become newsletter flags',
    customer({ consents: [{ channel: 'email', granted: true, date: '2022-01-01T00:00:00Z' }, { channel: 'sms', granted: false, date: null }] }),
    { newsletterEmail: true, newsletterSms: false },
  ],
  ['English-speaking customer', customer({ language: 'en' }), { language: 'en' }],
]

describe('prepareForPanel', () => {
  it.each(rows)('%s', (_name, input, expected) => {
    expect(prepareForPanel(input, opts)).toMatchObject(expected)
  })
})

describe('panelCountryCode', () => {
  it.each([
    ['de', '10115', 'DE'],
    [' PL ', '', 'PL'],
    ['', '', 'PL'],
    ['', '00-950', 'PL'],
    ['', '00950', ''],
    ['', 'SW1A 1AA', ''],
  ])('%s / %s → %s', (country, postcode, expected) => {
    expect(panelCountryCode(country, postcode)).toBe(expected)
  })
})

describe('applyEdit', () => {
  type EditRow = [name: string, input: CanonicalCustomer, edit: CustomerEdit, check: (c: CanonicalCustomer) => void]
  const editRows: EditRow[] = [
    ['sets top-level fields only where given', customer({}), { email: 'anna@nowak.pl', birthDate: '1990-05-01' }, (c) => {
      expect(c.email).toBe('anna@nowak.pl')
      expect(c.birthDate).toBe('1990-05-01')
      expect(c.firstName).toBe('Anna')
    }],
    ['patches the default billing address', customer({ addresses: [office, home] }), { billingAddress: { postcode: '80-832' } }, (c) => {
      expect(c.addresses[1]).toEqual({ ...home, postcode: '80-832' })
      expect(c.addresses[0]).toEqual(office)
    }],
    ['creates a billing address when there is none', customer({ addresses: [] }), { billingAddress: { street: 'ul. Nowa 1', city: 'Sopot', postcode: '81-701' } }, (c) => {
      expect(c.addresses).toEqual([address({ street: 'ul. Nowa 1', city: 'Sopot', postcode: '81-701', isDefaultBilling: true, isDefaultShipping: true })])
    }],
    ['an empty string clears a field', customer({ vatNumber: '123' }), { vatNumber: '' }, (c) => {
      expect(c.vatNumber).toBe('')
    }],
  ]
  it.each(editRows)('%s', (_name, input, edit, check) => {
    const before = structuredClone(input)
    check(applyEdit(input, edit))
    expect(input).toEqual(before)
  })

  it('an edit fixes what the rules would report', () => {
    const broken = customer({ addresses: [{ ...home, postcode: '80831' }] })
    const fixed = applyEdit(broken, { billingAddress: { postcode: '80-831' } })
    expect(prepareForPanel(fixed, opts).postcode).toBe('80-831')
  })
})
