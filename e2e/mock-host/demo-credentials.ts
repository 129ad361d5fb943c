/**
 * The demo source shops' credentials, printed by `npm start` and used by the e2e stories.
 * Shaped as the real platforms make them: WooCommerce ck_/cs_ + 40 hex, PrestaShop 32 characters.
 */
export const DEMO_WOOCOMMERCE = {
  consumerKey: 'ck_5d1c0f6a8e2b4c7d9a0e1f2b3c4d5e6f7a8b9c0d',
  consumerSecret: 'cs_9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d',
  /** a key made with the Write permission only: the check must say it cannot read */
  writeOnlyKey: 'ck_0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a',
  writeOnlySecret: 'cs_0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b',
} as const

export const DEMO_PRESTASHOP = {
  apiKey: 'DEMO7PRESTASHOP9WEBSERVICE4KEY2X',
  /** a key without the customers resource: the check must say so in PrestaShop's terms */
  noCustomersKey: 'DEMO7KEY0WITHOUT0CUSTOMERS0RIGHT',
} as const

export const DEMO_SHOPIFY = {
  /** a Dev Dashboard app installed on the shop with read_customers (client-credentials grant) */
  clientId: '3f9c2a7e5b1d4c8a9e0f6b2d7a1c5e93',
  clientSecret: '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',
  /** a legacy custom app's Admin API token (made before 2026-01-01) */
  accessToken: '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',
  /** an app installed without the read_customers scope */
  noCustomersClientId: '7a1e4c9b2d6f8a3c5e0b9d7f1a4c6e28',
  noCustomersClientSecret: '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',
} as const

export const DEMO_MAGENTO = {
  consumerKey: 'q8v3m1k7w2x9z4c6b5n0p2l8j7h3g1f4',
  consumerSecret: 'r2t5y8u1i4o7p0a3s6d9f2g5h8j1k4l7',
  accessToken: 'z9x6c3v0b7n4m1q8w5e2r9t6y3u0i7o4',
  accessTokenSecret: 'p1o2i3u4y5t6r7e8w9q0a1s2d3f4g5h6',
  /** an integration without Magento_Customer::customer */
  noCustomersConsumerKey: 'n0c8u7s6t5o4m3e2r1s0a9c8c7e6s5s4',
  noCustomersConsumerSecret: 'd4e5n6i7e8d9a0c1c2e3s4s5x6y7z8w9',
  noCustomersAccessToken: 'k5l6m7n8o9p0q1r2s3t4u5v6w7x8y9z0',
  noCustomersAccessTokenSecret: 'a9b8c7d6e5f4g3h2i1j0k9l8m7n6o5p4',
} as const
