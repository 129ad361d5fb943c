/**
 * The lists-at-scale spec's own mock host, beside the suite's (3300/34xx): a fresh data folder
 * under the run's temp folder, seeded by e2e/scale/seed-buffer.cli.ts in a child process, then
 * the mock host on that folder and a free port. Node built-ins only (and free-port.ts, which is
 * too): this file runs inside the Playwright worker. stop() leaves no process and no file behind.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { freePort } from '../flow/free-port.ts'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))

/** what the seed and the browser's host share: the data folder, no demo shops, a small panel seed */
export function scaleHostEnv(dataDir: string): Record<string, string> {
  return { DATA_DIR: dataDir, START_DEMO_SHOPER: 'false', DEMO_CUSTOMERS: '20', ALLOW_PRIVATE_SOURCES: 'true' }
}

/** the seed's last line on stdout */
export interface SeedReport {
  importId: number
  rows: number
  counts: Record<string, number>
  /** the FTS5 search index (xcm_buffer_search) and the error-code table existed while seeding */
  searchIndex: boolean
  errorIndex: boolean
  /** tables and import row, the rows' INSERT, the module's first start (its objects filled), all */
  seconds: { tables: number; rows: number; moduleStart: number; total: number }
  fileMB: number
  /** values of the seeded rows to search for: the e-mail of one waiting customer near the end */
  samples: { email: string }
}

/** The spec's host: start() seeds and starts it; stop() — also after a start cut short — ends both processes and removes the folder. */
export class ScaleHost {
  readonly dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cm-scale-'))
  baseUrl = ''
  seed: SeedReport | null = null
  private readonly children: ChildProcess[] = []

  constructor(private readonly rows: number) {}

  async start(): Promise<{ baseUrl: string; seed: SeedReport }> {
    const env = scaleHostEnv(this.dataDir)
    const seeder = this.run(['e2e/scale/seed-buffer.cli.ts', String(this.rows)], env)
    const code = await new Promise<number | null>((r) => seeder.child.once('exit', (c) => r(c)))
    const last = seeder.output.at(-1) ?? ''
    if (code !== 0 || !last.startsWith('{')) throw new Error(`seeding failed (exit ${code}):\n${seeder.output.slice(-30).join('\n')}`)
    const seed = JSON.parse(last) as SeedReport

    const port = await freePort()
    const smtpPort = await freePort()
    const host = this.run(['e2e/mock-host/main.ts'], { ...env, PORT: String(port), HOST: '127.0.0.1', SMTP_PORT: String(smtpPort) })
    const baseUrl = `http://127.0.0.1:${port}`
    const end = Date.now() + 60_000
    for (;;) {
      if (exited(host.child)) throw new Error(`the scale host exited (${host.child.exitCode ?? host.child.signalCode}):\n${host.output.slice(-30).join('\n')}`)
      if (await fetch(`${baseUrl}/health`).then((r) => r.ok, () => false)) break
      if (Date.now() > end) throw new Error(`the scale host did not answer /health in 60 s:\n${host.output.slice(-30).join('\n')}`)
      await new Promise((r) => setTimeout(r, 100))
    }
    this.baseUrl = baseUrl
    this.seed = seed
    return { baseUrl, seed }
  }

  async stop(): Promise<void> {
    await Promise.all(this.children.map(stopChild))
    fs.rmSync(this.dataDir, { recursive: true, force: true })
  }

  private run(args: string[], env: Record<string, string>): { child: ChildProcess; output: string[] } {
    const inherited = { ...process.env }
    // the suite's database choice is not this host's: it runs on its own SQLite file
    delete inherited.DATABASE_URL
    delete inherited.INSTANCE_ID
    const child = spawn(process.execPath, ['--import', 'tsx', ...args], { cwd: ROOT, env: { ...inherited, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
    this.children.push(child)
    const output: string[] = []
    const keep = (chunk: Buffer) => {
      output.push(...chunk.toString().split('\n').filter(Boolean))
      if (output.length > 200) output.splice(0, output.length - 200)
    }
    child.stdout!.on('data', keep)
    child.stderr!.on('data', keep)
    return { child, output }
  }
}

const exited = (c: ChildProcess) => c.exitCode !== null || c.signalCode !== null

async function stopChild(child: ChildProcess): Promise<void> {
  if (exited(child)) return
  const gone = new Promise<void>((r) => child.once('exit', () => r()))
  child.kill('SIGTERM')
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
  await gone
  clearTimeout(timer)
}
