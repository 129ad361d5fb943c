/** The Shopify mock over a real socket (port 0: any free port; plain HTTP, which the connector accepts), for tests and the demo shop. */
import { serveMock, type RunningMock } from '../mock-kit/serve-mock.ts'
import { createShopifyMock, mockHandlers, type ShopifyMock, type ShopifyMockOptions } from './shopify.mock-server.ts'

export type RunningShopifyMock = RunningMock<ShopifyMock>

export function startShopifyMock(opts: ShopifyMockOptions & { port: number; hostname?: string }): Promise<RunningShopifyMock> {
  const mock = createShopifyMock(opts)
  return serveMock(mock, mockHandlers.get(mock)!, opts)
}
