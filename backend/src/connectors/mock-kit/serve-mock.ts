/**
 * Any platform's mock over a real socket (port 0: any free port), for tests and the demo shops:
 * its in-process handler (which sees the node bindings, e.g. to drop a socket) behind a listener.
 */
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createAdaptorServer, type HttpBindings } from '@hono/node-server'

export interface RunningMock<M> {
  /** e.g. http://127.0.0.1:40123 (the shop's domain) */
  url: string
  mock: M
  close(): Promise<void>
}

export type MockHandler = (req: Request, env?: Partial<HttpBindings>) => Promise<Response>

export async function serveMock<M>(mock: M, handle: MockHandler, opts: { port: number; hostname?: string }): Promise<RunningMock<M>> {
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
