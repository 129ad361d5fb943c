/** Counts per state for a set of imports, read from the kept counters (db/raw/counts.sql.ts): O(1) at any size. */
import type { EntityManager } from '@mikro-orm/core'
import type { ImportCounts } from '@cm/contracts'
import { ImportCountEntity } from '../../db/import-count.entity.ts'

export async function countsOf(em: EntityManager, importIds: number[]): Promise<Map<number, ImportCounts>> {
  const out = new Map<number, ImportCounts>(importIds.map((id) => [id, { pending: 0, failed: 0, skipped: 0, imported: 0, notified: 0 }]))
  if (importIds.length === 0) return out
  const rows = await em.find(ImportCountEntity, { importId: { $in: importIds } })
  for (const r of rows) {
    const c = out.get(r.importId)
    if (!c) continue
    // a batch's claimed rows (`importing`) still show as pending
    const bucket = r.bucket === 'importing' ? 'pending' : (r.bucket as keyof ImportCounts)
    if (bucket in c) c[bucket] += Number(r.n)
  }
  return out
}
