/**
 * The mock host as a real child process, for the crash tests: `node --import tsx
 * e2e/mock-host/main.ts` (node itself, not npx, so SIGKILL hits the process that runs the
 * workers), started and killed on one DATA_DIR. Also: an uploaded file, a read-only look at
 * the SQLite file, the panel's customers and outbox as QA sees them.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import Database from 'better-sqlite3'
import { z } from 'zod'
import { ImportDetails, type CanonicalCustomer } from '@cm/contracts'
import { xmlDocument } from '../../backend/src/pipeline/xml/xml.fixtures.ts'

export const ROOT = fileURLToPath(new URL('../..', import.meta.url))

export class HostProcesses {
  readonly children: ChildProcess[] = []
  readonly output: string[] = []
  constructor(
    readonly baseUrl: string,
    private readonly env: Record<string, string>,
  ) {}

  start(label: string, extraEnv: Record<string, string> = {}): ChildProcess {
    const inherited = { ...process.env }
    delete inherited.DATABASE_URL
    delete inherited.INSTANCE_ID
    const child = spawn(process.execPath, ['--import', 'tsx', 'e2e/mock-host/main.ts'], {
      cwd: ROOT,
      env: { ...inherited, ...this.env, ...extraEnv },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    const keep = (chunk: Buffer) => this.output.push(...chunk.toString().split('\n').filter(Boolean).map((l) => `[${label}] ${l}`))
    child.stdout!.on('data', keep)
    child.stderr!.on('data', keep)
    // a native crash (SIGSEGV) prints nothing: the exit line is the only trace it leaves
    child.once('exit', (code, signal) => this.output.push(`[${label}] exited: code ${code ?? '-'}, signal ${signal ?? '-'}, at ${new Date().toISOString()}`))
    this.children.push(child)
    return child
  }

  async healthy(child: ChildProcess, timeoutMs = 30_000): Promise<void> {
    const end = Date.now() + timeoutMs
    for (;;) {
      if (exited(child)) throw new Error(`the mock host exited (${child.exitCode ?? child.signalCode}):\n${this.output.slice(-30).join('\n')}`)
      const ok = await fetch(`${this.baseUrl}/health`).then((r) => r.ok, () => false)
      if (ok) return
      if (Date.now() > end) throw new Error(`the mock host did not answer /health in ${timeoutMs} ms:\n${this.output.slice(-30).join('\n')}`)
      await new Promise((r) => setTimeout(r, 100))
    }
  }

  /** whatever failed, no host process outlives the test */
  killAll(): Promise<void[]> {
    return Promise.all(this.children.map(kill))
  }
}

export const exited = (child: ChildProcess) => child.exitCode !== null || child.signalCode !== null

export async function kill(child: ChildProcess): Promise<void> {
  if (exited(child)) return
  const gone = new Promise<void>((r) => child.once('exit', () => r()))
  child.kill('SIGKILL')
  await gone
}

/** the session cookie of a panel user (for requests PanelClient does not make: multipart) */
export async function sessionCookie(baseUrl: string, login = 'operator', password = login): Promise<string> {
  const res = await fetch(`${baseUrl}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login, password }),
  })
  if (res.status !== 200) throw new Error(`login as ${login} failed: ${res.status}`)
  return (res.headers.get('set-cookie') ?? '').split(';')[0]!
}

/** POST /imports/upload with a file made by the writer's own renderer */
export async function uploadCustomers(baseUrl: string, customers: CanonicalCustomer[], shopIds = '1'): Promise<ImportDetails> {
  const form = new FormData()
  form.set('file', new Blob([xmlDocument(customers)], { type: 'application/xml' }), 'klienci.xml')
  form.set('shopIds', shopIds)
  const res = await fetch(`${baseUrl}/api/customer-migration/imports/upload`, { method: 'POST', body: form, headers: { cookie: await sessionCookie(baseUrl) } })
  const text = await res.text()
  if (res.status !== 201) throw new Error(`upload answered ${res.status}: ${text.slice(0, 300)}`)
  return ImportDetails.parse(JSON.parse(text))
}

/**
 * A read-only look at the panel's SQLite file (WAL: a reader never blocks the host, and sees
 * what the host committed). Opened and closed per question so no handle outlives a host.
 */
export function readDb<T>(dataDir: string, fn: (db: Database.Database) => T): T {
  const db = new Database(path.join(dataDir, 'panel.sqlite'), { readonly: true, fileMustExist: true })
  try {
    return fn(db)
  } finally {
    db.close()
  }
}

const PanelCustomers = z.object({
  items: z.array(z.object({ id: z.string(), externalRef: z.string().nullable(), email: z.string(), login: z.string() })),
  nextCursor: z.string().nullable(),
  total: z.number(),
})
export type PanelCustomerRef = z.infer<typeof PanelCustomers>['items'][number]

/** the panel customers this module created for one import: GET /api/customers, externalRef cm:<id>:* */
export async function panelCustomersOf(baseUrl: string, importId: string): Promise<PanelCustomerRef[]> {
  const cookie = await sessionCookie(baseUrl)
  const prefix = `cm:${importId}:`
  const out: PanelCustomerRef[] = []
  let cursor: string | null = null
  do {
    const res = await fetch(`${baseUrl}/api/customers?q=${encodeURIComponent(prefix)}&limit=500${cursor ? `&cursor=${cursor}` : ''}`, { headers: { cookie } })
    const page = PanelCustomers.parse(await res.json())
    out.push(...page.items.filter((c) => c.externalRef?.startsWith(prefix)))
    cursor = page.nextCursor
  } while (cursor)
  return out
}

const Outbox = z.object({ items: z.array(z.object({ to: z.array(z.string()) })) })

/** mails per recipient (lower-cased) in GET /api/outbox */
export async function outboxByRecipient(baseUrl: string): Promise<Map<string, number>> {
  const res = await fetch(`${baseUrl}/api/outbox`)
  const out = new Map<string, number>()
  for (const m of Outbox.parse(await res.json()).items) for (const to of m.to) out.set(to.toLowerCase(), (out.get(to.toLowerCase()) ?? 0) + 1)
  return out
}

/** every page of a list route of the module */
export async function allPages<T>(read: (cursor: string | null) => Promise<{ items: T[]; nextCursor: string | null }>): Promise<T[]> {
  const out: T[] = []
  let cursor: string | null = null
  do {
    const page = await read(cursor)
    out.push(...page.items)
    cursor = page.nextCursor
  } while (cursor)
  return out
}
