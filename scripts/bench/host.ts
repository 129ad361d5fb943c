/**
 * The product as a host runs it: the mock host (e2e/mock-host/main.ts) as a child process, as the
 * integration tests start it (HostProcesses), on a SQLite file in the bench's folder or on
 * PostgreSQL, with its own SMTP sink, no demo shops, driven over its HTTP API by PanelClient.
 */
import type { ChildProcess } from 'node:child_process'
import path from 'node:path'
import { freePort } from '../../e2e/flow/free-port.ts'
import { HostProcesses } from '../../e2e/flow/host-process.ts'
import { PanelClient } from '../../e2e/flow/panel-client.ts'
import { exited, stopChild, trackChild } from './cleanup.ts'
import { peakRssMBOf } from './proc.ts'

export interface BenchHost {
  baseUrl: string
  dataDir: string
  smtpPort: number
  client: PanelClient
  child: ChildProcess
  /** the host process's VmHWM so far */
  peakRssMB(): number | null
  output(): string[]
  stop(): Promise<void>
}

export async function startHost(workDir: string, databaseUrl: string | null): Promise<BenchHost> {
  const port = await freePort()
  const smtpPort = await freePort()
  const baseUrl = `http://127.0.0.1:${port}`
  const dataDir = path.join(workDir, 'host')
  const env: Record<string, string> = {
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    SMTP_PORT: String(smtpPort),
    // the bench brings its own source shop; the five demo shops would only cost memory
    START_DEMO_SHOPER: 'false',
    ALLOW_PRIVATE_SOURCES: 'true',
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
  }
  const hosts = new HostProcesses(baseUrl, env)
  const child = hosts.start('host')
  trackChild('mock host', child)
  await hosts.healthy(child, 60_000)
  const client = new PanelClient({ baseUrl })
  await client.login('operator', 'operator')
  return {
    baseUrl,
    dataDir,
    smtpPort,
    client,
    child,
    peakRssMB: () => peakRssMBOf(child.pid),
    output: () => hosts.output,
    stop: () => (exited(child) ? Promise.resolve() : stopChild(child, 10_000)),
  }
}
