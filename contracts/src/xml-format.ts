/**
 * The migration XML file, defined once for the writer and the verifier.
 * Described for people in ../xml/FORMAT.md, with an example in ../xml/example.xml.
 */
import type { CanonicalCustomer, Address } from './customer.ts'

export const XML_FORMAT_VERSION = '1'
export const XML_NAMESPACE = 'urn:idosell:customer-migration:1'
export const XML_ROOT = 'customers'
export const XML_ROOT_ATTRIBUTES = ['version', 'platform', 'domain', 'generatedAt', 'count'] as const

/** Sanity limits of the file itself; the panel's own limits are checked at import. */
export const XML_LIMITS = {
  textLength: 10_000,
  /** a `sourceId` is a key (unique per import, stored in a varchar(100) column), so it is short */
  sourceIdLength: 100,
  addressesPerCustomer: 100,
  consentsPerCustomer: 10,
  /** deepest element nesting, the root being 0 (address fields sit at 4) */
  maxDepth: 4,
  /** default upper bound on the file (configurable), like the panel's own import */
  fileBytes: 2 * 1024 ** 3,
  /**
   * Most elements one <customer> can hold, itself included: 1 + 12 fields + 2 containers
   * + 100 addresses × (1 + 9 fields) + 10 consents. Anything past it is junk, and reading stops.
   */
  elementsPerCustomer: 1025,
  /** default most <customer> elements in one file (configurable); far beyond any shop's customer base */
  customers: 10_000_000,
  /**
   * default most elements in one file (configurable). A valid 2 GiB file holds fewer than 180
   * million (a valid element takes at least 12 bytes), so this stops only floods.
   */
  elements: 200_000_000,
} as const

type ScalarKey = Exclude<keyof CanonicalCustomer, 'sourceId' | 'addresses' | 'consents'>
type AddressKey = Exclude<keyof Address, 'isDefaultBilling' | 'isDefaultShipping'>

export type ElementDef<K extends string> = { name: K; required: boolean; kind: 'text' | 'boolean' }

/** Children of <customer>, in the order the writer emits them. */
export const CUSTOMER_ELEMENTS: readonly ElementDef<ScalarKey>[] = [
  { name: 'login', required: false, kind: 'text' },
  { name: 'email', required: true, kind: 'text' },
  { name: 'firstName', required: true, kind: 'text' },
  { name: 'lastName', required: true, kind: 'text' },
  { name: 'company', required: false, kind: 'text' },
  { name: 'vatNumber', required: false, kind: 'text' },
  { name: 'phone', required: false, kind: 'text' },
  { name: 'birthDate', required: false, kind: 'text' },
  { name: 'language', required: false, kind: 'text' },
  { name: 'group', required: false, kind: 'text' },
  { name: 'active', required: false, kind: 'boolean' },
  { name: 'registeredAt', required: false, kind: 'text' },
]
/** <addresses> and <consents> are required containers (possibly empty). */
export const CUSTOMER_CONTAINERS = ['addresses', 'consents'] as const

/** Children of <address>; attributes billing="true|false" shipping="true|false". */
export const ADDRESS_ELEMENTS: readonly ElementDef<AddressKey>[] = [
  { name: 'firstName', required: false, kind: 'text' },
  { name: 'lastName', required: false, kind: 'text' },
  { name: 'company', required: false, kind: 'text' },
  { name: 'street', required: true, kind: 'text' },
  { name: 'postcode', required: true, kind: 'text' },
  { name: 'city', required: true, kind: 'text' },
  { name: 'countryCode', required: true, kind: 'text' },
  { name: 'phone', required: false, kind: 'text' },
  { name: 'vatNumber', required: false, kind: 'text' },
]
export const ADDRESS_ATTRIBUTES = ['billing', 'shipping'] as const
/** Which Address field each <address> attribute carries. */
export const ADDRESS_ATTRIBUTE_FIELDS = {
  billing: 'isDefaultBilling',
  shipping: 'isDefaultShipping',
} as const satisfies Record<(typeof ADDRESS_ATTRIBUTES)[number], keyof Address>
/** <consent channel="email|sms" granted="true|false" date="ISO or empty"/> */
export const CONSENT_ATTRIBUTES = ['channel', 'granted', 'date'] as const

/** Codes of verification rejections (each with line and column). */
export const XML_ISSUE_CODES = [
  'XML_MALFORMED',
  'XML_DOCTYPE_FORBIDDEN',
  'XML_ENTITY_FORBIDDEN',
  'XML_ENCODING',
  'XML_EMPTY',
  'XML_TRUNCATED',
  'XML_TOO_LARGE',
  'XML_TOO_DEEP',
  'XML_UNKNOWN_ROOT',
  'XML_UNKNOWN_VERSION',
  'XML_ROOT_ATTRIBUTE_MISSING',
  'XML_UNKNOWN_ELEMENT',
  'XML_UNKNOWN_ATTRIBUTE',
  'XML_DUPLICATE_ELEMENT',
  'XML_ELEMENT_MISSING',
  'XML_ATTRIBUTE_MISSING',
  'XML_VALUE_INVALID',
  'XML_TEXT_TOO_LONG',
  'XML_TOO_MANY',
  'XML_DUPLICATE_SOURCE_ID',
  'XML_COUNT_MISMATCH',
] as const
export type XmlIssueCode = (typeof XML_ISSUE_CODES)[number]
