/** The PrestaShop mock over a real socket (port 0: any free port), for tests that need real HTTP. */
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createAdaptorServer, type HttpBindings } from '@hono/node-server'
import { createPrestaShopMock, mockHandlers, type PrestaShopMock, type PrestaShopMockOptions } from './prestashop.mock-server.ts'

export interface RunningPrestaShopMock {
  /** e.g. http://127.0.0.1:40123 (the shop's domain) */
  url: string
  mock: PrestaShopMock
  close(): Promise<void>
}

export async function startPrestaShopMock(opts: PrestaShopMockOptions & { port: number; hostname?: string }): Promise<RunningPrestaShopMock> {
  const mock = createPrestaShopMock(opts)
  const handle = mockHandlers.get(mock)!
  const host = opts.hostname ?? '127.0.0.1'
  const server = createAdaptorServer({ fetch: (req: Request, env: unknown) => handle(req, env as HttpBindings) }) as Server
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(opts.port, host, () => resolve())
  })
  const { port } = server.address() as AddressInfo
  const shown = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host
  const close = () =>
    new Promise<void>((done) => {
      server.close(() => done())
      // keep-alive sockets would hold close() open
      server.closeAllConnections()
    })
  return { url: `http://${shown}:${port}`, mock, close }
}
