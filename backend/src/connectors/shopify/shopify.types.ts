/**
 * Shopify GraphQL Admin API shapes: the records the mock and the demo data keep (one per
 * customer, as Shopify stores it), and tolerant zod parsers of what the client reads back:
 * a customer node of our query, the cost extension, GraphQL errors and the token grant.
 * Every field but the id is parsed leniently (null, absent or of another type reads as empty).
 */
import { z } from 'zod'

// ---- enums of the pinned version (CustomerState, CustomerEmailAddressMarketingState, …) ----------

export const CUSTOMER_STATES = ['DECLINED', 'DISABLED', 'ENABLED', 'INVITED'] as const
export type ShopifyCustomerState = (typeof CUSTOMER_STATES)[number]
export const EMAIL_MARKETING_STATES = ['INVALID', 'NOT_SUBSCRIBED', 'PENDING', 'SUBSCRIBED', 'UNSUBSCRIBED'] as const
export type ShopifyEmailMarketingState = (typeof EMAIL_MARKETING_STATES)[number]
export const SMS_MARKETING_STATES = ['NOT_SUBSCRIBED', 'PENDING', 'REDACTED', 'SUBSCRIBED', 'UNSUBSCRIBED'] as const
export type ShopifySmsMarketingState = (typeof SMS_MARKETING_STATES)[number]
export const OPT_IN_LEVELS = ['SINGLE_OPT_IN', 'CONFIRMED_OPT_IN', 'UNKNOWN'] as const
export type ShopifyOptInLevel = (typeof OPT_IN_LEVELS)[number]

// ---- what a shop stores (mock and demo data) -------------------------------------------------

export interface ShopifyMailingAddressRecord {
  id: number
  firstName: string | null
  lastName: string | null
  company: string | null
  address1: string | null
  address2: string | null
  city: string | null
  province: string | null
  provinceCode: string | null
  /** the country's English name, as MailingAddress.country */
  country: string | null
  countryCodeV2: string | null
  zip: string | null
  phone: string | null
}

export interface ShopifyEmailRecord {
  emailAddress: string
  marketingState: ShopifyEmailMarketingState
  marketingOptInLevel: ShopifyOptInLevel | null
  /** null when the address never changed its marketing consent */
  marketingUpdatedAt: string | null
}

export interface ShopifyPhoneRecord {
  /** E.164 */
  phoneNumber: string
  marketingState: ShopifySmsMarketingState
  marketingOptInLevel: ShopifyOptInLevel | null
  marketingUpdatedAt: string | null
}

export interface ShopifyCustomerRecord {
  /** the numeric id of gid://shopify/Customer/<id>; ascends with creation */
  id: number
  firstName: string | null
  lastName: string | null
  /** e.g. "pl", "en", "pt-BR" */
  locale: string
  note: string | null
  state: ShopifyCustomerState
  tags: string[]
  /** UTC ISO 8601, e.g. "2025-01-02T16:27:00Z" */
  createdAt: string
  updatedAt: string
  verifiedEmail: boolean
  email: ShopifyEmailRecord | null
  phone: ShopifyPhoneRecord | null
  addresses: ShopifyMailingAddressRecord[]
  /** one of addresses[].id, or null when the customer has none */
  defaultAddressId: number | null
}

export const customerGid = (id: number | string) => `gid://shopify/Customer/${id}`
export const addressGid = (id: number | string) => `gid://shopify/MailingAddress/${id}?model_name=CustomerAddress`

// ---- tolerant parsers of what the client reads -------------------------------------------------

/** a string, else "" (null, absent, numbers from a proxy…) */
const text = z.unknown().optional().transform((v): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : ''))
const nullableText = z.unknown().optional().transform((v): string | null => (typeof v === 'string' && v.trim() !== '' ? v : null))
const enumText = <T extends readonly string[]>(values: T) =>
  z.unknown().optional().transform((v): T[number] | null => (typeof v === 'string' && (values as readonly string[]).includes(v) ? v : null))

/** gid://shopify/<type>/<n>[?…] → "<n>" */
export function gidNumber(gid: string, type: string): string | null {
  const m = new RegExp(`^gid://shopify/${type}/(\\d+)(?:\\?.*)?$`).exec(gid.trim())
  return m ? m[1]! : null
}

export const ShopifyAddressNode = z.object({
  id: text,
  firstName: text,
  lastName: text,
  company: text,
  address1: text,
  address2: text,
  city: text,
  province: text,
  provinceCode: text,
  countryCodeV2: text,
  zip: text,
  phone: text,
})
export type ShopifyAddressNode = z.output<typeof ShopifyAddressNode>

const object = <T extends z.ZodRawShape>(shape: T) => z.preprocess((v) => (v && typeof v === 'object' && !Array.isArray(v) ? v : null), z.object(shape).nullable())

export const ShopifyEmailNode = object({
  emailAddress: text,
  marketingState: enumText(EMAIL_MARKETING_STATES),
  marketingOptInLevel: enumText(OPT_IN_LEVELS),
  marketingUpdatedAt: nullableText,
})
export const ShopifyPhoneNode = object({
  phoneNumber: text,
  marketingState: enumText(SMS_MARKETING_STATES),
  marketingOptInLevel: enumText(OPT_IN_LEVELS),
  marketingUpdatedAt: nullableText,
})

const pageInfo = z.object({ hasNextPage: z.boolean().catch(false), endCursor: z.string().nullable().catch(null) })

/** a customer node as the page query (shopify.query.ts) selects it */
export const ShopifyCustomerNode = z.object({
  id: z.string().transform((v, ctx) => gidNumber(v, 'Customer') ?? (ctx.addIssue({ code: 'custom', message: 'not a Customer gid' }), z.NEVER)),
  firstName: text,
  lastName: text,
  locale: text,
  note: text,
  state: enumText(CUSTOMER_STATES),
  tags: z.array(z.unknown()).catch([]).transform((tags) => tags.filter((t): t is string => typeof t === 'string')),
  createdAt: text,
  defaultEmailAddress: ShopifyEmailNode.catch(null),
  defaultPhoneNumber: ShopifyPhoneNode.catch(null),
  defaultAddress: z.preprocess((v) => (v && typeof v === 'object' ? v : null), ShopifyAddressNode.nullable()).catch(null),
  addressesV2: z
    .object({ nodes: z.array(ShopifyAddressNode).catch([]), pageInfo: pageInfo.catch({ hasNextPage: false, endCursor: null }) })
    .catch({ nodes: [], pageInfo: { hasNextPage: false, endCursor: null } }),
})
export type ShopifyCustomerNode = z.output<typeof ShopifyCustomerNode>

/** the id alone, to place a node before anything else is parsed */
export const ShopifyNodeId = z.object({ id: z.string() })

// ---- envelopes ---------------------------------------------------------------------------------

export const ThrottleStatus = z.object({
  maximumAvailable: z.number().positive(),
  currentlyAvailable: z.number().nonnegative(),
  restoreRate: z.number().positive(),
})
export type ThrottleStatus = z.infer<typeof ThrottleStatus>

export const CostExtension = z.object({
  requestedQueryCost: z.number().nonnegative(),
  actualQueryCost: z.number().nonnegative().nullable().optional(),
  throttleStatus: ThrottleStatus,
})
export type CostExtension = z.infer<typeof CostExtension>

export const GraphQLError = z.object({
  message: z.string().catch(''),
  path: z.array(z.union([z.string(), z.number()])).optional().catch(undefined),
  extensions: z.record(z.string(), z.unknown()).optional().catch(undefined),
})
export type GraphQLError = z.infer<typeof GraphQLError>

/** a GraphQL answer: `errors` may be a list (GraphQL) or a string (REST-style 401/404 bodies) */
export const GraphQLEnvelope = z.object({
  data: z.unknown().optional(),
  errors: z.union([z.array(GraphQLError), z.string(), z.record(z.string(), z.unknown())]).optional(),
  extensions: z.object({ cost: CostExtension.optional().catch(undefined) }).passthrough().optional().catch(undefined),
})
export type GraphQLEnvelope = z.infer<typeof GraphQLEnvelope>

/** POST /admin/oauth/access_token → {"access_token","scope","expires_in"} */
export const TokenGrant = z.object({
  access_token: z.string().min(1),
  scope: z.string().catch(''),
  expires_in: z.number().positive().optional(),
})
export type TokenGrant = z.infer<typeof TokenGrant>

/** an OAuth error body: {"error":"invalid_client","error_description":"Client authentication failed"} */
export const OAuthError = z.object({ error: z.string().min(1), error_description: z.string().catch('') })
