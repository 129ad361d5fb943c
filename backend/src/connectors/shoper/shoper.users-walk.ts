/**
 * Which way the users are read: by page (documented, always possible), or by user_id windows once
 * a probe proved the shop honours them (shoper.keyset.ts). The first page is read by page either
 * way: it feeds the probe, and its ids are the lowest, so the keyset read goes on after them.
 */
import type { ShoperClient } from './shoper.client.ts'
import { probeKeyset, readKeyset } from './shoper.keyset.ts'
import { readPages, type PagerOptions, type PagerState } from './shoper.pager.ts'

export interface UsersWalkState extends PagerState {
  mode: 'pages' | 'keyset'
  after: number
}

export interface UsersStep {
  rows: unknown[]
  state: Partial<UsersWalkState>
  /** users beyond this step, when the shop says (keyset) */
  remaining?: number | null
}

export interface UsersWalkOptions {
  keyset?: boolean
  onPath?(path: 'pages' | 'keyset'): void
}

export async function* usersWalk(client: ShoperClient, start: UsersWalkState, pager: PagerOptions, o: UsersWalkOptions): AsyncGenerator<UsersStep> {
  if (start.mode === 'keyset') {
    o.onPath?.('keyset')
    yield* keysetSteps(client, start.after, pager)
    return
  }
  const pages = readPages(client, 'users', start, pager)
  // only a read from its very start probes: a resumed page read stays one (its cursor is by page)
  const fresh = start.page === 0 && start.pass === 1 && o.keyset !== false
  const first = await pages.next()
  if (first.done) return
  const s = first.value.state
  // one page is the whole shop: nothing to gain from a probe
  if (fresh && (s.count ?? 0) > first.value.rows.length && (await probeKeyset(client, first.value.rows))) {
    o.onPath?.('keyset')
    const after = Math.max(...first.value.rows.map((r) => Number((r as { user_id?: unknown }).user_id)))
    yield { rows: first.value.rows, state: { ...s, mode: 'keyset', after } }
    yield* keysetSteps(client, after, pager)
    return
  }
  o.onPath?.('pages')
  yield first.value
  yield* pages
}

async function* keysetSteps(client: ShoperClient, after: number, pager: PagerOptions): AsyncGenerator<UsersStep> {
  for await (const k of readKeyset(client, after, { signal: pager.signal, batch: pager.batch ?? 1 })) {
    yield { rows: k.rows, state: { mode: 'keyset', after: k.after }, remaining: k.remaining }
  }
}
