/** The Magento mock over a real socket (port 0: any free port), for tests and the demo shop. */
import { serveMock, type RunningMock } from '../mock-kit/serve-mock.ts'
import { createMagentoMock, magentoMockHandlers, type MagentoMock, type MagentoMockOptions } from './magento2.mock-server.ts'

export type RunningMagentoMock = RunningMock<MagentoMock>

export function startMagentoMock(opts: MagentoMockOptions & { port: number; hostname?: string }): Promise<RunningMagentoMock> {
  const mock = createMagentoMock(opts)
  return serveMock(mock, magentoMockHandlers.get(mock)!, opts)
}
