/**
 * The demo WooCommerce, PrestaShop, Shopify and Magento 2 shops the mock host starts: each one's
 * customer base is generated once, for the shop and for the panel seed's shared e-mails alike.
 */
import type { HostConfig } from './config.ts'
import { demoMagentoData, startDemoMagento } from './demo-magento.ts'
import { demoPrestaShopData, startDemoPrestaShop } from './demo-prestashop.ts'
import { demoShopifyData, startDemoShopify } from './demo-shopify.ts'
import { demoWooCommerceData, startDemoWooCommerce } from './demo-woocommerce.ts'

export interface DemoShop {
  /** its key in the host's urls */
  key: 'demoWooCommerce' | 'demoPrestaShop' | 'demoShopify' | 'demoMagento'
  /** the accounts whose e-mails the panel seed may share */
  accounts: ReadonlyArray<{ email: string }>
  start(): Promise<{ url: string; close(): Promise<void> }>
}

export function otherDemoShops(cfg: HostConfig): DemoShop[] {
  const n = cfg.demoCustomers
  const delayMs = cfg.demoShopDelayMs
  const shops: DemoShop[] = []
  if (cfg.startDemoWooCommerce) {
    const data = demoWooCommerceData(n)
    shops.push({ key: 'demoWooCommerce', accounts: data, start: () => startDemoWooCommerce({ port: cfg.demoWooCommercePort, data, delayMs }) })
  }
  if (cfg.startDemoPrestaShop) {
    const data = demoPrestaShopData(n)
    const accounts = data.customers.filter((c) => !c.is_guest && !c.deleted)
    shops.push({ key: 'demoPrestaShop', accounts, start: () => startDemoPrestaShop({ port: cfg.demoPrestaShopPort, data, delayMs }) })
  }
  if (cfg.startDemoShopify) {
    const data = demoShopifyData(n)
    const accounts = data.map((c) => ({ email: c.email?.emailAddress ?? '' }))
    shops.push({ key: 'demoShopify', accounts, start: () => startDemoShopify({ port: cfg.demoShopifyPort, data, delayMs }) })
  }
  if (cfg.startDemoMagento) {
    const data = demoMagentoData(n)
    shops.push({ key: 'demoMagento', accounts: data.customers, start: () => startDemoMagento({ port: cfg.demoMagentoPort, data, delayMs }) })
  }
  return shops
}
