/**
 * The demo WooCommerce shop: its REST API mock over plain http (so every request is OAuth 1.0a-
 * signed, as a real http-only shop demands) with the demo customer base, a read key and a
 * write-only key (DEMO_WOOCOMMERCE).
 */
import { generateWooCommerceDemoData } from '../../backend/src/connectors/woocommerce/woocommerce.demo-data.ts'
import { startWooCommerceMock } from '../../backend/src/connectors/woocommerce/woocommerce.mock-server.ts'
import { DEMO_WOOCOMMERCE } from './demo-credentials.ts'

/** fixed, so the panel seed and the demo shop agree on which e-mails clash */
export const DEMO_WOOCOMMERCE_SEED = 43

export function demoWooCommerceData(count: number) {
  return generateWooCommerceDemoData({ count, seed: DEMO_WOOCOMMERCE_SEED })
}

export async function startDemoWooCommerce(opts: { port: number; data: ReturnType<typeof demoWooCommerceData>; delayMs?: number }): Promise<{ url: string; close(): Promise<void> }> {
  const shop = await startWooCommerceMock({
    port: opts.port,
    hostname: '127.0.0.1',
    customers: opts.data,
    keys: [
      { consumerKey: DEMO_WOOCOMMERCE.consumerKey, consumerSecret: DEMO_WOOCOMMERCE.consumerSecret, permissions: 'read' },
      { consumerKey: DEMO_WOOCOMMERCE.writeOnlyKey, consumerSecret: DEMO_WOOCOMMERCE.writeOnlySecret, permissions: 'write' },
    ],
    ...(opts.delayMs ? { faults: { delayMs: opts.delayMs } } : {}),
  })
  return { url: shop.url, close: () => shop.close() }
}
