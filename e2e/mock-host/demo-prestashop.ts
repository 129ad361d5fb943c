/**
 * The demo PrestaShop shop: its Webservice mock with the demo customer base (guests, deleted
 * customers and addresses, and the passwd / secure_key / reset_password_token the real one hands
 * out), a key with GET on the customer resources and a key without customers (DEMO_PRESTASHOP).
 */
import { generatePrestaShopDemoData } from '../../backend/src/connectors/prestashop/prestashop.demo-data.ts'
import { startPrestaShopMock } from '../../backend/src/connectors/prestashop/prestashop.mock-http.ts'
import type { WsMethod } from '../../backend/src/connectors/prestashop/prestashop.mock-server.ts'
import { DEMO_PRESTASHOP } from './demo-credentials.ts'

/** fixed, so the panel seed and the demo shop agree on which e-mails clash */
export const DEMO_PRESTASHOP_SEED = 44

export function demoPrestaShopData(count: number) {
  return generatePrestaShopDemoData({ count, seed: DEMO_PRESTASHOP_SEED })
}

const VIEW: WsMethod[] = ['GET', 'HEAD']
const READ_ALL: Record<string, WsMethod[]> = { customers: VIEW, addresses: VIEW, countries: VIEW, languages: VIEW, groups: VIEW }

export async function startDemoPrestaShop(opts: { port: number; data: ReturnType<typeof demoPrestaShopData>; delayMs?: number }): Promise<{ url: string; close(): Promise<void> }> {
  const withoutCustomers = Object.fromEntries(Object.entries(READ_ALL).filter(([r]) => r !== 'customers'))
  const shop = await startPrestaShopMock({
    port: opts.port,
    hostname: '127.0.0.1',
    data: opts.data,
    keys: [
      { key: DEMO_PRESTASHOP.apiKey, resources: READ_ALL },
      { key: DEMO_PRESTASHOP.noCustomersKey, resources: withoutCustomers },
    ],
    ...(opts.delayMs ? { faults: { delayMs: opts.delayMs } } : {}),
  })
  return { url: shop.url, close: () => shop.close() }
}
