/** Every status transition: the allowed ones move, every other one is refused, races have one winner. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { IMPORT_STATUSES, IMPORT_TRANSITIONS, type ImportStatus, type ImportEvent } from '@cm/contracts'
import { startTestModule } from '../testing/test-module.ts'
import { ImportEntity } from '../db/import.entity.ts'
import { emptyGeneration } from './fetch/generation.ts'
import { moveStatus, TransitionError } from './status.machine.ts'
import type { ModuleContext } from '../context.ts'
import { ImportEvents } from './events.bus.ts'

let t: Awaited<ReturnType<typeof startTestModule>>
const events = new ImportEvents()
let ctx: ModuleContext

beforeAll(async () => {
  t = await startTestModule()
  ctx = { clock: { now: () => new Date() }, events } as unknown as ModuleContext
})
afterAll(async () => t.close())

async function importIn(status: ImportStatus): Promise<number> {
  const now = new Date()
  // upload-origin rows: no job picks them up behind the test's back
  return (await t.orm.em.fork().insert(ImportEntity, {
    platform: '', domain: 'plik.xml', origin: 'upload', shopIds: ['1'], status, credentials: null, fetched: 0, total: null,
    checkpoint: null, generation: emptyGeneration(), verification: null, filePath: null, fileSize: 0, fileCustomers: null,
    createdBy: 'test', leaseOwner: null, leaseUntil: null, createdAt: now, updatedAt: now,
  })) as number
}

const statusOf = async (id: number) => (await t.orm.em.fork().findOneOrFail(ImportEntity, { id })).status

describe('the import state machine', () => {
  const pairs = IMPORT_STATUSES.flatMap((from) => IMPORT_STATUSES.map((to) => [from, to] as const))
  it.each(pairs)('%s -> %s follows IMPORT_TRANSITIONS', async (from, to) => {
    const id = await importIn(from)
    const allowed = IMPORT_TRANSITIONS[from].includes(to)
    const seen: ImportEvent[] = []
    const off = events.subscribe(String(id), (e) => seen.push(e))
    if (allowed) {
      expect(await moveStatus(ctx, t.orm.em.fork(), id, [from], to)).toBe(true)
      expect(await statusOf(id)).toBe(to)
      expect(seen).toEqual([{ type: 'status', importId: String(id), status: to }])
    } else {
      await expect(moveStatus(ctx, t.orm.em.fork(), id, [from], to)).rejects.toBeInstanceOf(TransitionError)
      expect(await statusOf(id)).toBe(from)
    }
    off()
  })

  it('source_deleted is final', () => {
    expect(IMPORT_TRANSITIONS.source_deleted).toEqual([])
  })

  it('a move from a status the import is no longer in does nothing (the loser of a race)', async () => {
    const id = await importIn('awaiting_verification')
    const results = await Promise.all([
      moveStatus(ctx, t.orm.em.fork(), id, ['awaiting_verification'], 'verifying'),
      moveStatus(ctx, t.orm.em.fork(), id, ['awaiting_verification'], 'source_deleted'),
    ])
    expect(results.filter(Boolean)).toHaveLength(1)
    expect(['verifying', 'source_deleted']).toContain(await statusOf(id))
  })
})
