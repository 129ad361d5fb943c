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
