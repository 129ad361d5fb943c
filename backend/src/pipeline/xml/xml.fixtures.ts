/** Test data for the XML stage's tests: canonical customers and a valid file to break on purpose. */
import type { Address, CanonicalCustomer } from '@cm/contracts'
import { FOOTER, renderCustomer, renderHeader } from './xml.render.ts'

export function address(over: Partial<Address> = {}): Address {
  return {
    firstName: 'Jan',
    lastName: 'Kowalski',
    company: '',
    street: 'ul. Długa 1',
    postcode: '00-001',
    city: 'Warszawa',
    countryCode: 'PL',
    phone: '',
    vatNumber: '',
    isDefaultBilling: true,
    isDefaultShipping: true,
    ...over,
  }
}

export function customer(sourceId: string, over: Partial<CanonicalCustomer> = {}): CanonicalCustomer {
  return {
    sourceId,
    login: '',
    email: `klient${sourceId}@example.pl`,
    firstName: 'Jan',
    lastName: 'Kowalski',
    company: '',
    vatNumber: '',
    phone: '',
    birthDate: '',
    language: 'pl',
    group: '',
    active: true,
    registeredAt: '',
    addresses: [],
    consents: [],
    ...over,
  }
}

export const GENERATED_AT = '2025-01-01T00:00:00.000Z'

/** A whole valid file as the writer would make it (count written directly, padded like the writer's slot). */
export function xmlDocument(customers: CanonicalCustomer[], count = customers.length): string {
  const { text } = renderHeader({ platform: 'shoper', domain: 'https://sklep.example.pl', generatedAt: GENERATED_AT })
  return text.replace(/count="0" */, `count="${count}"`) + customers.map(renderCustomer).join('') + FOOTER
}

/** 1-based line and column of a string index, counted independently of the verifier (columns in characters). */
export function positionOf(text: string, index: number): { line: number; column: number } {
  const before = text.slice(0, index)
  const lineStart = before.lastIndexOf('\n') + 1
  return { line: before.split('\n').length, column: [...text.slice(lineStart, index)].length + 1 }
}
