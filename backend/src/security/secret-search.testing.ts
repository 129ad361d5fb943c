/**
 * Counts how often a secret shows in plain form: in every table of the module's database, in
 * every file under some folders (bytes read as latin1, so a UTF-8 secret is found as its bytes),
 * in log lines. Forms: as typed, URL-encoded, base64, and HTTP Basic `login:secret`.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import type { MikroORM } from '@mikro-orm/core'

export function secretForms(secret: string, login?: string): string[] {
  const utf8 = Buffer.from(secret, 'utf8')
  const forms = [secret, encodeURIComponent(secret), utf8.toString('base64'), utf8.toString('latin1')]
  if (login !== undefined) forms.push(Buffer.from(`${login}:${secret}`, 'utf8').toString('base64'))
  return [...new Set(forms)]
}

function filesUnder(root: string): string[] {
  if (!existsSync(root)) return []
  if (!statSync(root).isDirectory()) return [root]
  return readdirSync(root).flatMap((n) => filesUnder(path.join(root, n)))
}

export async function countSecret(opts: { secret: string; login?: string; orm?: MikroORM; paths?: string[]; texts?: string[] }): Promise<number> {
  const haystacks = [...(opts.texts ?? [])]
  if (opts.orm) {
    const conn = opts.orm.em.fork().getConnection()
    const tables = new Set(Object.values(opts.orm.getMetadata().getAll()).map((m) => m.tableName).filter(Boolean))
    for (const table of tables) haystacks.push(JSON.stringify(await conn.execute(`select * from ${table}`)))
  }
  for (const f of (opts.paths ?? []).flatMap(filesUnder)) haystacks.push(readFileSync(f).toString('latin1'))
  const forms = secretForms(opts.secret, opts.login)
  return haystacks.reduce((n, h) => n + forms.reduce((m, f) => m + h.split(f).length - 1, 0), 0)
}
