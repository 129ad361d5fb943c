/**
 * The GraphQL documents the connector sends, the API version they are written for, and their
 * calculated cost as Shopify's rate-limit docs define it (object 1, scalar/enum 0, connection
 * 2 + first × (1 + cost of a node)). The page size follows from the cost: Shopify refuses any
 * single query above 1 000 points (MAX_COST_EXCEEDED), and a customer with its e-mail, phone,
 * default address and first addresses costs 11, so a page holds 90 customers, not 250.
 */

/**
 * The pinned Admin API version: the newest stable one on 2026-12-03 (2026-10, released
 * 2026-10-01, supported until 2027-10-01). Bump it each quarter, at least before 2027-10-01:
 * Shopify then serves the oldest supported version instead ("falls forward").
 */
export const SHOPIFY_API_VERSION = '2026-10'

/** Shopify's limit on a single query's requested cost (MAX_COST_EXCEEDED above it) */
export const SHOPIFY_MAX_QUERY_COST = 1000
/** Shopify's limit on `first` of any connection */
export const SHOPIFY_MAX_FIRST = 250
/** addresses read with each customer; a customer with more gets the rest by ADDRESSES_QUERY */
export const ADDRESSES_PER_CUSTOMER = 5
export const ADDRESSES_PAGE = 250

const ADDRESS_FIELDS = 'id firstName lastName company address1 address2 city province provinceCode countryCodeV2 zip phone'

/** customers by id ascending (sortKey: ID): newcomers land at the end, deletions shift nothing */
export const CUSTOMERS_QUERY = `query CustomersPage($first: Int!, $after: String, $addresses: Int!) {
  customers(first: $first, after: $after, sortKey: ID) {
    nodes {
      id
      firstName
      lastName
      locale
      note
      state
      tags
      createdAt
      defaultEmailAddress { emailAddress marketingState marketingOptInLevel marketingUpdatedAt }
      defaultPhoneNumber { phoneNumber marketingState marketingOptInLevel marketingUpdatedAt }
      defaultAddress { ${ADDRESS_FIELDS} }
      addressesV2(first: $addresses) {
        nodes { ${ADDRESS_FIELDS} }
        pageInfo { hasNextPage endCursor }
      }
    }
    pageInfo { hasNextPage endCursor }
  }
}`

/** the addresses after the first ADDRESSES_PER_CUSTOMER of one customer */
export const ADDRESSES_QUERY = `query CustomerAddresses($id: ID!, $first: Int!, $after: String) {
  customer(id: $id) {
    addressesV2(first: $first, after: $after) {
      nodes { ${ADDRESS_FIELDS} }
      pageInfo { hasNextPage endCursor }
    }
  }
}`

/**
 * The connection check: the shop's name, how many customers (customersCount, the Count object of
 * 2024-10+), and one customer with the protected fields (name, e-mail, phone, address), so that
 * a missing read_customers scope or missing protected-data access shows now, not mid-fetch.
 */
export const CHECK_QUERY = `query ConnectionCheck {
  shop { name }
  customersCount { count precision }
  customers(first: 1, sortKey: ID) {
    nodes {
      id
      firstName
      lastName
      defaultEmailAddress { emailAddress }
      defaultPhoneNumber { phoneNumber }
      defaultAddress { address1 }
    }
  }
}`

/** the customer count at the start of a read (progress total) */
export const COUNT_QUERY = `query CustomersCount {
  customersCount { count precision }
}`

/** requested cost of one customer node of CUSTOMERS_QUERY: itself, 3 objects, the addresses connection */
export const CUSTOMER_NODE_COST = 1 + 3 + (2 + ADDRESSES_PER_CUSTOMER)

/** requested cost of a page of `first` customers */
export const pageCost = (first: number) => 2 + first * CUSTOMER_NODE_COST

/** the most customers a page may ask for so that it costs at most `maxCost` */
export function pageSizeFor(maxCost: number): number {
  return Math.max(1, Math.min(SHOPIFY_MAX_FIRST, Math.floor((maxCost - 2) / CUSTOMER_NODE_COST)))
}

/** customers a page asks for: 90 (requested cost 992) */
export const SHOPIFY_PAGE_SIZE = pageSizeFor(SHOPIFY_MAX_QUERY_COST)

export const CHECK_COST = 1 + 1 + 2 + 1 * (1 + 3)
export const COUNT_COST = 1
export const addressesCost = (first: number) => 1 + 2 + first
