/** The folder the module owns for its XML files. */
import fs from 'node:fs'
import path from 'node:path'
import type { StoragePort } from '@cm/backend'

export function createStoragePort(cfg: { dataDir: string }): StoragePort {
  const dir = path.join(cfg.dataDir, 'customer-migration')
  fs.mkdirSync(dir, { recursive: true })
  return { dir }
}
