/**
 * Shopify customer node → CanonicalCustomer. Pure and faithful: nothing is filled in or repaired
 * (a missing name stays missing even when an address has one, bad postcodes stay bad); the import
 * rules decide about those later. Every Shopify customer is a customer: DISABLED (no activated
 * account, e.g. made at checkout), INVITED and DECLINED ones are moved too, as inactive.
 */
import type { Address, CanonicalCustomer, Consent, SkipReason } from '@cm/contracts'
import { localeToLanguage } from '../mapping.ts'
import type { ShopifyAddressNode, ShopifyCustomerNode } from './shopify.types.ts'

export type ShopifyMapResult = { kind: 'customer'; customer: CanonicalCustomer } | { kind: 'left_out'; reason: SkipReason }

export interface ShopifyMapOptions {
  /**
   * Customer tags as the panel's group. Shopify has no customer groups, only free tags (often
   * many, often set by apps), so by default no group is taken (false). `true`: the first tag;
   * a list: the first of the customer's tags that is on it (case-insensitive), e.g. ["VIP", "Hurt"].
   */
  tagsAsGroup?: boolean | readonly string[]
}

export function groupFromTags(tags: readonly string[], tagsAsGroup: ShopifyMapOptions['tagsAsGroup']): string {
  const clean = tags.map((t) => t.trim()).filter(Boolean)
  if (!tagsAsGroup) return ''
  if (tagsAsGroup === true) return clean[0] ?? ''
  const wanted = new Set(tagsAsGroup.map((t) => t.trim().toLowerCase()))
  return clean.find((t) => wanted.has(t.toLowerCase())) ?? ''
}

/**
 * A marketing state as a consent: SUBSCRIBED is consent; PENDING (a double opt-in not yet
 * confirmed), NOT_SUBSCRIBED, UNSUBSCRIBED and INVALID are none. The opt-in level has no place in
 * the canonical consent (see README). REDACTED (an erased number) and unknown states say nothing.
 */
function consentOf(channel: Consent['channel'], state: string | null, updatedAt: string | null): Consent[] {
  if (state === null || state === 'REDACTED') return []
  return [{ channel, granted: state === 'SUBSCRIBED', date: isoOrNull(updatedAt) }]
}

/** Shopify sends UTC ISO 8601 ("2025-01-02T16:27:00Z"); kept as is, anything else reads as none */
function isoOrNull(value: string | null): string | null {
  const v = value?.trim() ?? ''
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(v) ? v : null
}

function toAddress(a: ShopifyAddressNode, isDefault: boolean): Address {
  return {
    firstName: a.firstName.trim(),
    lastName: a.lastName.trim(),
    company: a.company.trim(),
    street: `${a.address1.trim()} ${a.address2.trim()}`.trim(),
    postcode: a.zip.trim(),
    city: a.city.trim(),
    countryCode: a.countryCodeV2.trim().toUpperCase(),
    phone: a.phone.trim(),
    // Shopify keeps no VAT number on customers or their addresses
    vatNumber: '',
    isDefaultBilling: isDefault,
    isDefaultShipping: isDefault,
  }
}

const KEYS = ['firstName', 'lastName', 'company', 'address1', 'address2', 'city', 'province', 'countryCodeV2', 'zip', 'phone'] as const
const same = (a: ShopifyAddressNode, b: ShopifyAddressNode) => (a.id && b.id ? a.id === b.id : KEYS.every((k) => a[k].trim() === b[k].trim()))

/**
 * The default address first, as default billing and shipping (Shopify has one default address and
 * no separate shipping one), then the others in Shopify's order. Without a default the first
 * address is taken as it, as Shopify itself does when a customer's first address is added.
 */
export function addressesOf(defaultAddress: ShopifyAddressNode | null, all: readonly ShopifyAddressNode[]): Address[] {
  const first = defaultAddress ?? all[0] ?? null
  if (!first) return []
  return [toAddress(first, true), ...all.filter((a) => !same(a, first)).map((a) => toAddress(a, false))]
}

/** `addresses`: every address of the customer (addressesV2 read to its end) */
export function mapShopifyCustomer(c: ShopifyCustomerNode, addresses: readonly ShopifyAddressNode[] = c.addressesV2.nodes, o: ShopifyMapOptions = {}): ShopifyMapResult {
  const email = c.defaultEmailAddress
  const phone = c.defaultPhoneNumber
  const emailAddress = email?.emailAddress.trim() ?? ''
  const phoneNumber = phone?.phoneNumber.trim() ?? ''
  const customer: CanonicalCustomer = {
    sourceId: c.id,
    // Shopify has no usernames: the panel derives the login from the e-mail
    login: '',
    email: emailAddress,
    firstName: c.firstName.trim(),
    lastName: c.lastName.trim(),
    company: c.defaultAddress?.company.trim() ?? '',
    vatNumber: '',
    phone: phoneNumber,
    // Shopify keeps no birth date
    birthDate: '',
    language: localeToLanguage(c.locale),
    group: groupFromTags(c.tags, o.tagsAsGroup),
    // only ENABLED has an activated account; the others are still customers
    active: c.state === 'ENABLED',
    registeredAt: isoOrNull(c.createdAt) ?? '',
    addresses: addressesOf(c.defaultAddress, addresses),
    consents: [
      ...(emailAddress && email ? consentOf('email', email.marketingState, email.marketingUpdatedAt) : []),
      ...(phoneNumber && phone ? consentOf('sms', phone.marketingState, phone.marketingUpdatedAt) : []),
    ],
  }
  return { kind: 'customer', customer }
}
