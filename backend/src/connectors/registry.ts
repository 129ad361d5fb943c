/** The connectable platforms; adding a platform adds one line here. */
import type { PlatformId, SourceCredentials } from '@cm/contracts'
import type { SourceConnector } from './connector.ts'
import { shoperConnector } from './shoper/shoper.connector.ts'
import { woocommerceConnector } from './woocommerce/woocommerce.connector.ts'
import { prestashopConnector } from './prestashop/prestashop.connector.ts'
import { magento2Connector } from './magento2/magento2.connector.ts'
import { shopifyConnector } from './shopify/shopify.connector.ts'

const CONNECTORS: Partial<Record<PlatformId, SourceConnector<never>>> = {
  shoper: shoperConnector,
  woocommerce: woocommerceConnector,
  prestashop: prestashopConnector,
  magento2: magento2Connector,
  shopify: shopifyConnector,
}

export function connectorFor(platform: PlatformId): SourceConnector<SourceCredentials> | null {
  return (CONNECTORS[platform] as SourceConnector<SourceCredentials> | undefined) ?? null
}
