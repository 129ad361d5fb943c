/**
 * The only place an import changes status. A move is a conditional update (the status must
 * still be one of `from`), so two requests or two instances racing cannot both win.
 */
import { IMPORT_TRANSITIONS, type ImportStatus } from '@cm/contracts'
import type { EntityManager } from '@mikro-orm/core'
import { ImportEntity, type ImportRow } from '../db/import.entity.ts'
import type { ModuleContext } from '../context.ts'

export class TransitionError extends Error {
  constructor(from: readonly ImportStatus[], to: ImportStatus) {
    super(`no transition ${from.join('|')} -> ${to}`)
  }
}

export async function moveStatus(
  ctx: ModuleContext,
  em: EntityManager,
  importId: number,
  from: readonly ImportStatus[],
  to: ImportStatus,
  patch: Partial<Omit<ImportRow, 'id' | 'status'>> = {},
): Promise<boolean> {
  for (const f of from) if (!IMPORT_TRANSITIONS[f].includes(to)) throw new TransitionError([f], to)
  // only a fetch holds the source shop; every other status releases it
  const release = to === 'awaiting_xml' ? {} : { runningKey: null }
  const moved = await em.nativeUpdate(
    ImportEntity,
    { id: importId, status: { $in: [...from] } },
    { ...release, ...patch, status: to, updatedAt: ctx.clock.now() },
  )
  if (moved > 0) ctx.events.publish({ type: 'status', importId: String(importId), status: to })
  return moved > 0
}
