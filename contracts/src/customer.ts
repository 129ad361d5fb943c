/** The canonical customer: what every connector maps to and the XML file carries. */
import { z } from 'zod'

export const Address = z.object({
  firstName: z.string(),
  lastName: z.string(),
  company: z.string(),
  street: z.string(),
  postcode: z.string(),
  city: z.string(),
  /** ISO 3166-1 alpha-2 as given by the source; may be empty or wrong (checked at import) */
  countryCode: z.string(),
  phone: z.string(),
  vatNumber: z.string(),
  isDefaultBilling: z.boolean(),
  isDefaultShipping: z.boolean(),
})
export type Address = z.infer<typeof Address>

export const Consent = z.object({
  channel: z.enum(['email', 'sms']),
  granted: z.boolean(),
  /** ISO date-time of the consent, or null when the source does not say */
  date: z.string().nullable(),
})
export type Consent = z.infer<typeof Consent>

export const CanonicalCustomer = z.object({
  /** the customer's id at the source (unique within one import) */
  sourceId: z.string().min(1),
  login: z.string(),
  email: z.string(),
  firstName: z.string(),
  lastName: z.string(),
  company: z.string(),
  vatNumber: z.string(),
  phone: z.string(),
  /** YYYY-MM-DD or empty */
  birthDate: z.string(),
  /** ISO 639-1 language, e.g. "pl", or empty */
  language: z.string(),
  /** customer group name at the source, or empty */
  group: z.string(),
  active: z.boolean(),
  /** ISO date-time of registration at the source, or empty */
  registeredAt: z.string(),
  addresses: z.array(Address),
  consents: z.array(Consent),
})
export type CanonicalCustomer = z.infer<typeof CanonicalCustomer>

/** The fields an admin may change in the dialog before import (all optional: a patch). */
export const EditableAddress = Address.pick({
  firstName: true,
  lastName: true,
  company: true,
  street: true,
  postcode: true,
  city: true,
  countryCode: true,
  phone: true,
  vatNumber: true,
}).partial()
export type EditableAddress = z.infer<typeof EditableAddress>

export const CustomerEdit = z
  .object({
    login: z.string().max(10_000),
    email: z.string().max(10_000),
    firstName: z.string().max(10_000),
    lastName: z.string().max(10_000),
    company: z.string().max(10_000),
    vatNumber: z.string().max(10_000),
    phone: z.string().max(10_000),
    birthDate: z.string().max(10_000),
    /** patch of the default billing address (created when the customer has none) */
    billingAddress: EditableAddress,
  })
  .partial()
  .strict()
export type CustomerEdit = z.infer<typeof CustomerEdit>

/** Panel-side limits checked at import (FIELD_TOO_LONG); the XML's own sanity limits are in xml-format.ts. */
export const PANEL_FIELD_LIMITS = {
  login: 64,
  email: 254,
  firstName: 100,
  lastName: 100,
  company: 200,
  vatNumber: 30,
  phone: 30,
  street: 200,
  city: 100,
  postcode: 16,
} as const
