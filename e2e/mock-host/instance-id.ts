/** This host's id for the module's job leases: kept in DATA_DIR so a restart reclaims its own leases at once. */
import { randomUUID } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'

export function stableInstanceId(dataDir: string): string {
  const file = path.join(dataDir, 'instance-id')
  try {
    const id = fs.readFileSync(file, 'utf8').trim()
    if (id) return id
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
  }
  const id = `panel-${randomUUID()}`
  fs.mkdirSync(dataDir, { recursive: true })
  fs.writeFileSync(file, id + '\n')
  return id
}
