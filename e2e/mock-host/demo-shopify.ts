/**
 * The demo Shopify shop: its GraphQL Admin API mock with a Standard plan's cost bucket, a Dev
 * Dashboard app (client credentials), a legacy shpat_ token, and an app without read_customers
 * (DEMO_SHOPIFY).
 */
import { generateShopifyDemoData } from '../../backend/src/connectors/shopify/shopify.demo-data.ts'
import { startShopifyMock } from '../../backend/src/connectors/shopify/shopify.mock-http.ts'
import { DEMO_SHOPIFY } from './demo-credentials.ts'

/** fixed, so the panel seed and the demo shop agree on which e-mails clash */
export const DEMO_SHOPIFY_SEED = 45

export function demoShopifyData(count: number) {
  return generateShopifyDemoData({ count, seed: DEMO_SHOPIFY_SEED })
}

export async function startDemoShopify(opts: { port: number; data: ReturnType<typeof demoShopifyData>; delayMs?: number }): Promise<{ url: string; close(): Promise<void> }> {
  const shop = await startShopifyMock({
    port: opts.port,
    hostname: '127.0.0.1',
    customers: opts.data,
    shopName: 'Sklep Demo (Shopify)',
    apps: [
      { clientId: DEMO_SHOPIFY.clientId, clientSecret: DEMO_SHOPIFY.clientSecret, scopes: ['read_customers'] },
      { clientId: DEMO_SHOPIFY.noCustomersClientId, clientSecret: DEMO_SHOPIFY.noCustomersClientSecret, scopes: ['read_products'] },
    ],
    legacyTokens: [{ token: DEMO_SHOPIFY.accessToken, scopes: ['read_customers'] }],
    ...(opts.delayMs ? { faults: { delayMs: opts.delayMs } } : {}),
  })
  return { url: shop.url, close: () => shop.close() }
}
