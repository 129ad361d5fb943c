/** The PrestaShop mock over a real socket (port 0: any free port), for tests and the demo shop. */
import { serveMock, type RunningMock } from '../mock-kit/serve-mock.ts'
import { createPrestaShopMock, mockHandlers, type PrestaShopMock, type PrestaShopMockOptions } from './prestashop.mock-server.ts'

export type RunningPrestaShopMock = RunningMock<PrestaShopMock>

export function startPrestaShopMock(opts: PrestaShopMockOptions & { port: number; hostname?: string }): Promise<RunningPrestaShopMock> {
  const mock = createPrestaShopMock(opts)
  return serveMock(mock, mockHandlers.get(mock)!, opts)
}
