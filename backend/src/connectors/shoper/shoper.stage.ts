/**
 * Copies every address and subscriber of the shop into the scratch table, page by page (the
 * documented `limit`/`page` alone), so the users walk can join them without asking the shop
 * per user. Resumable: the scratch remembers the pages done. `topUp` reads the tail again for
 * rows added since (a customer who registered during the fetch brings an address along).
 */
import { ShoperAddress, ShoperSubscriber } from './shoper.types.ts'
import type { ShoperClient } from './shoper.client.ts'
import { readPages, PAGER_START, type PagerOptions } from './shoper.pager.ts'
import type { ShoperScratch, StagedResource } from './shoper.scratch.ts'

export const STAGED: readonly StagedResource[] = ['user-addresses', 'subscribers']

export async function stageAll(client: ShoperClient, scratch: ShoperScratch, o: Pick<PagerOptions, 'signal' | 'batch' | 'onDrift'>): Promise<void> {
  for (const r of STAGED) await stage(client, scratch, r, o, false)
}

/** the rows added to both lists since they were staged (from the last page staged on) */
export async function topUp(client: ShoperClient, scratch: ShoperScratch, o: Pick<PagerOptions, 'signal' | 'batch' | 'onDrift'>): Promise<void> {
  for (const r of STAGED) await stage(client, scratch, r, o, true)
}

async function stage(client: ShoperClient, scratch: ShoperScratch, r: StagedResource, o: Pick<PagerOptions, 'signal' | 'batch' | 'onDrift'>, again: boolean): Promise<void> {
  const s = scratch.staged(r)
  if (s.done && !again) return
  // a top-up starts at the last page staged: it may have grown, and new rows come after it
  const start = s.pages === 0 ? PAGER_START : { pass: 1, page: Math.max(0, s.pages - (again ? 1 : 0)), count: s.count }
  const pages = readPages(client, r, start, { ...o, kept: () => scratch.rowCount(r) })
  for await (const step of pages) {
    put(scratch, r, step.rows)
    scratch.setStaged(r, { pages: step.state.page, count: step.state.count ?? 0, done: false })
  }
  const end = scratch.staged(r)
  scratch.setStaged(r, { ...end, done: true })
}

function put(scratch: ShoperScratch, r: StagedResource, rows: unknown[]): void {
  if (r === 'user-addresses') {
    scratch.putAddresses(
      rows.flatMap((row) => {
        const a = ShoperAddress.safeParse(row)
        return a.success ? [{ id: a.data.address_book_id, userId: a.data.user_id, row }] : []
      }),
    )
  } else {
    scratch.putSubscribers(
      rows.flatMap((row) => {
        const s = ShoperSubscriber.safeParse(row)
        return s.success ? [{ id: s.data.subscriber_id, email: s.data.email, active: s.data.active, row }] : []
      }),
    )
  }
}
