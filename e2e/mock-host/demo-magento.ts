/**
 * The demo Magento 2 shop: its REST API mock (OAuth 1.0a HMAC-SHA256 signatures verified, Bearer
 * off as by default) with an active integration that may read customers and one that may not
 * (DEMO_MAGENTO).
 */
import { generateMagentoDemoData } from '../../backend/src/connectors/magento2/magento2.demo-data.ts'
import { startMagentoMock } from '../../backend/src/connectors/magento2/magento2.mock-http.ts'
import { DEMO_MAGENTO } from './demo-credentials.ts'

/** fixed, so the panel seed and the demo shop agree on which e-mails clash */
export const DEMO_MAGENTO_SEED = 46

export function demoMagentoData(count: number) {
  return generateMagentoDemoData({ count, seed: DEMO_MAGENTO_SEED })
}

export async function startDemoMagento(opts: { port: number; data: ReturnType<typeof demoMagentoData>; delayMs?: number }): Promise<{ url: string; close(): Promise<void> }> {
  const shop = await startMagentoMock({
    port: opts.port,
    hostname: '127.0.0.1',
    data: opts.data,
    integrations: [
      {
        id: 1,
        name: 'Migracja klientów',
        consumerKey: DEMO_MAGENTO.consumerKey,
        consumerSecret: DEMO_MAGENTO.consumerSecret,
        accessToken: DEMO_MAGENTO.accessToken,
        accessTokenSecret: DEMO_MAGENTO.accessTokenSecret,
        resources: 'all',
      },
      {
        id: 2,
        name: 'Katalog (bez klientów)',
        consumerKey: DEMO_MAGENTO.noCustomersConsumerKey,
        consumerSecret: DEMO_MAGENTO.noCustomersConsumerSecret,
        accessToken: DEMO_MAGENTO.noCustomersAccessToken,
        accessTokenSecret: DEMO_MAGENTO.noCustomersAccessTokenSecret,
        resources: ['Magento_Catalog::catalog'],
      },
    ],
    ...(opts.delayMs ? { faults: { delayMs: opts.delayMs } } : {}),
  })
  return { url: shop.url, close: () => shop.close() }
}
