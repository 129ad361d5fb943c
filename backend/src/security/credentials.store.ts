/** Source credentials of an import, sealed with the host's key and bound to the import id. */
import { SourceCredentials } from '@cm/contracts'
import type { ModuleContext } from '../context.ts'
import { em } from '../context.ts'
import { ImportEntity } from '../db/import.entity.ts'
import { SecretOpenError, needsRotation, openSecret, resealIfNeeded, sealSecret } from './credential-cipher.ts'

const aad = (importId: number) => `customer-migration:import:${importId}`

export function sealCredentials(ctx: ModuleContext, importId: number, c: SourceCredentials): string {
  return sealSecret(JSON.stringify(c), ctx.ports.secrets.credentialKeys(), aad(importId))
}

export function openCredentials(ctx: ModuleContext, importId: number, sealed: string): SourceCredentials {
  return SourceCredentials.parse(JSON.parse(openSecret(sealed, ctx.ports.secrets.credentialKeys(), aad(importId))))
}

export interface RotationReport {
  /** re-sealed with the current key */
  resealed: number
  /** sealed with a key the host no longer gives (or altered): left as they are, logged */
  unreadable: number
}

/**
 * After the host rotated its key: every credential still stored (a fetch waiting, failed or
 * running) is re-sealed with the current key, in batches, so that the old key can be dropped.
 * Each row is written only if it still holds the value that was read: a fetch that finished
 * (credentials wiped) or another instance that re-sealed first is never overwritten.
 */
export async function rotateCredentials(ctx: ModuleContext, batchSize = 100): Promise<RotationReport> {
  const report: RotationReport = { resealed: 0, unreadable: 0 }
  const keys = ctx.ports.secrets.credentialKeys()
  let after = 0
  for (;;) {
    const e = em(ctx)
    const rows = await e.find(
      ImportEntity,
      { id: { $gt: after }, credentials: { $ne: null } },
      { fields: ['id', 'credentials'], orderBy: { id: 'asc' }, limit: batchSize },
    )
    for (const row of rows) {
      after = row.id
      const sealed = row.credentials
      if (sealed == null) continue
      try {
        if (!needsRotation(sealed, keys)) continue
        const next = resealIfNeeded(sealed, keys, aad(row.id))
        report.resealed += await e.nativeUpdate(ImportEntity, { id: row.id, credentials: sealed }, { credentials: next })
      } catch (err) {
        if (!(err instanceof SecretOpenError)) throw err
        report.unreadable++
        // the message names a key id at most, never the secret
        ctx.settings.log('warn', 'stored source credentials cannot be opened with the current keys', { importId: row.id, reason: err.message })
      }
    }
    if (rows.length < batchSize) break
  }
  if (report.resealed || report.unreadable) ctx.settings.log('info', 'source credentials re-sealed with the current key', { ...report })
  return report
}
