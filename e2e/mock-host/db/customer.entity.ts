/** A customer of the panel's customer base (seeded, or created by the module through the customers port). */
import { PANEL_FIELD_LIMITS } from '@cm/contracts'
import { defineEntity, p, type InferEntity } from '@mikro-orm/core'

/** Column sizes; the customers port answers FIELD_TOO_LONG before the database would refuse. */
export const CUSTOMER_LIMITS = {
  ...PANEL_FIELD_LIMITS,
  externalRef: 255,
  birthDate: 10,
  countryCode: 2,
  language: 8,
} as const

const L = CUSTOMER_LIMITS

export const PanelCustomer = defineEntity({
  name: 'PanelCustomer',
  tableName: 'panel_customer',
  properties: {
    id: p.integer().primary().autoincrement(),
    login: p.string().length(L.login).unique(),
    email: p.string().length(L.email),
    // the panel treats e-mails case-insensitively; unique, so a race cannot slip a second one in
    emailLower: p.string().length(L.email).unique(),
    externalRef: p.string().length(L.externalRef).nullable().unique(),
    // 'person' | 'firm'; a string, not an enum (see stack notes on SQLite enums)
    type: p.string().length(16),
    firstName: p.string().length(L.firstName),
    lastName: p.string().length(L.lastName),
    company: p.string().length(L.company),
    vatNumber: p.string().length(L.vatNumber),
    phone: p.string().length(L.phone),
    /** YYYY-MM-DD or empty */
    birthDate: p.string().length(L.birthDate),
    street: p.string().length(L.street),
    postcode: p.string().length(L.postcode),
    city: p.string().length(L.city),
    countryCode: p.string().length(L.countryCode),
    language: p.string().length(L.language),
    newsletterEmail: p.boolean(),
    newsletterSms: p.boolean(),
    // never serialised: the customers list maps fields explicitly
    passwordHash: p.string().length(255).nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
})
export type IPanelCustomer = InferEntity<typeof PanelCustomer>
