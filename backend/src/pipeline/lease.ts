/** An import's job is claimed through the database, so two host instances never run it twice. */
import type { EntityManager } from '@mikro-orm/core'
import { ImportEntity } from '../db/import.entity.ts'
import type { ModuleContext } from '../context.ts'

export const LEASE_MS = 60_000

export async function claimLease(ctx: ModuleContext, em: EntityManager, importId: number): Promise<boolean> {
  const now = ctx.clock.now()
  const n = await em.nativeUpdate(
    ImportEntity,
    { id: importId, $or: [{ leaseOwner: null }, { leaseOwner: ctx.instanceId }, { leaseUntil: { $lt: now } }] },
    { leaseOwner: ctx.instanceId, leaseUntil: new Date(now.getTime() + LEASE_MS) },
  )
  return n > 0
}

/**
 * Patch for the update that writes a job's final status: the lease goes in the same statement,
 * so no other instance ever sees a finished import that is still leased.
 */
export const LEASE_FREE = { leaseOwner: null, leaseUntil: null } as const

/** Extends a lease this instance still holds; false when it was released or taken over. */
async function renewLease(ctx: ModuleContext, em: EntityManager, importId: number): Promise<boolean> {
  const now = ctx.clock.now()
  const n = await em.nativeUpdate(ImportEntity, { id: importId, leaseOwner: ctx.instanceId }, { leaseUntil: new Date(now.getTime() + LEASE_MS) })
  return n > 0
}

export async function releaseLease(ctx: ModuleContext, em: EntityManager, importId: number): Promise<void> {
  await em.nativeUpdate(ImportEntity, { id: importId, leaseOwner: ctx.instanceId }, { leaseOwner: null, leaseUntil: null })
}

/**
 * Keeps the lease alive while the job runs; returns the stop function. A lease another
 * instance took over (this process stalled past LEASE_MS) means this job must stop: `onLost`.
 */
export function keepLease(ctx: ModuleContext, em: () => EntityManager, importId: number, onLost: () => void): () => void {
  let stopped = false
  const t = setInterval(() => {
    if (stopped) return
    void renewLease(ctx, em(), importId)
      .then((held) => {
        // a lease released by this job's own final status is not a loss
        if (!held && !stopped) {
          ctx.settings.log('warn', 'lease lost to another instance; stopping the job here', { importId })
          onLost()
        }
      })
      .catch(() => {})
  }, LEASE_MS / 3)
  t.unref()
  return () => {
    stopped = true
    clearInterval(t)
  }
}
