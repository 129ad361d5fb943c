/** A panel customer as the panel creates it: what the rules check and the customers port receives. */
export interface PanelCustomerDraft {
  /** `cm:<importId>:<sourceId>`; the host keeps it unique, which makes creation idempotent */
  externalRef: string
  login: string
  email: string
  type: 'person' | 'firm'
  firstName: string
  lastName: string
  company: string
  vatNumber: string
  phone: string
  birthDate: string
  street: string
  postcode: string
  city: string
  countryCode: string
  language: string
  shopIds: string[]
  newsletterEmail: boolean
  newsletterSms: boolean
  deliveryAddresses: Array<{
    firstName: string
    lastName: string
    company: string
    street: string
    postcode: string
    city: string
    countryCode: string
    phone: string
  }>
}

