/** Removes an import's buffer rows in bounded batches, so the event loop never stalls. */
import type { EntityManager } from '@mikro-orm/core'
import { BufferCustomerEntity } from '../../db/buffer-customer.entity.ts'

export async function deleteBufferRows(em: EntityManager, importId: number, batch = 2000): Promise<number> {
  let removed = 0
  for (;;) {
    const ids = await em.find(BufferCustomerEntity, { importId }, { fields: ['id'], limit: batch, orderBy: { id: 'asc' } })
    if (ids.length === 0) return removed
    removed += await em.nativeDelete(BufferCustomerEntity, { id: { $in: ids.map((r) => r.id) } })
    await new Promise((r) => setImmediate(r))
  }
}
