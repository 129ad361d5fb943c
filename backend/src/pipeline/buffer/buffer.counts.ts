/** Counts per state for a set of imports, in one grouped query each. */
import { raw, type EntityManager } from '@mikro-orm/core'
import type { EntityManager as SqlEntityManager } from '@mikro-orm/knex'
import type { ImportCounts } from '@cm/contracts'
import { BufferCustomerEntity } from '../../db/buffer-customer.entity.ts'

export async function countsOf(anyEm: EntityManager, importIds: number[]): Promise<Map<number, ImportCounts>> {
  const out = new Map<number, ImportCounts>(importIds.map((id) => [id, { pending: 0, failed: 0, skipped: 0, imported: 0, notified: 0 }]))
  if (importIds.length === 0) return out
  // both drivers (better-sqlite, postgresql) are knex-based
  const em = anyEm as SqlEntityManager
  const qb = em.createQueryBuilder(BufferCustomerEntity)
  const rows: Array<{ importId: number; state: string; n: number | string }> = await qb
    .select(['importId', 'state', raw('count(*) as n')])
    .where({ importId: { $in: importIds } })
    .groupBy(['importId', 'state'])
    .execute('all')
  for (const r of rows) {
    const c = out.get(Number(r.importId))
    if (!c) continue
    const state = r.state === 'importing' ? 'pending' : (r.state as keyof ImportCounts)
    if (state in c) c[state] += Number(r.n)
  }
  const notified: Array<{ importId: number; n: number | string }> = await em
    .createQueryBuilder(BufferCustomerEntity)
    .select(['importId', raw('count(*) as n')])
    .where({ importId: { $in: importIds }, notifyState: 'sent' })
    .groupBy(['importId'])
    .execute('all')
  for (const r of notified) {
    const c = out.get(Number(r.importId))
    if (c) c.notified = Number(r.n)
  }
  return out
}
