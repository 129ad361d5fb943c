/** Filters and keyset paging of the buffer lists (never OFFSET: fast at any depth). */
import type { FilterQuery } from '@mikro-orm/core'
import type { BufferState, CustomerErrorCode } from '@cm/contracts'
import type { BufferCustomerRow } from '../../db/buffer-customer.entity.ts'

export interface BufferFilterInput {
  state?: BufferState[]
  q?: string
  errorCode?: CustomerErrorCode[]
}

/**
 * The search box's text inside a LIKE pattern. `_` and `%` stay wildcards on purpose: escaping
 * needs an ESCAPE clause SQLite requires and MikroORM does not write, and a wildcard only widens
 * the match (`jan_kowalski` still finds jan_kowalski). Backslashes are dropped (PostgreSQL's escape).
 */
export const likeContains = (q: string) => `%${q.replace(/\\/g, '')}%`

/** `pending` includes rows a running batch holds (`importing`). */
export function storedStates(states: BufferState[]): string[] {
  return states.flatMap((s) => (s === 'pending' ? ['pending', 'importing'] : [s]))
}

export function bufferWhere(importId: number, f: BufferFilterInput): FilterQuery<BufferCustomerRow> {
  const and: FilterQuery<BufferCustomerRow>[] = [{ importId }]
  if (f.state?.length) and.push({ state: { $in: storedStates(f.state) } })
  const q = f.q?.trim().toLowerCase()
  if (q) and.push({ searchText: { $like: likeContains(q) } })
  if (f.errorCode?.length) and.push({ $or: f.errorCode.map((c) => ({ errorCodes: { $like: `% ${c} %` } })) })
  return { $and: and }
}

export function encodeCursor(id: number): string {
  return Buffer.from(String(id)).toString('base64url')
}
export function decodeCursor(cursor: string | undefined): number | null {
  if (!cursor) return null
  const n = Number(Buffer.from(cursor, 'base64url').toString())
  return Number.isSafeInteger(n) && n > 0 ? n : null
}

/** Adds the keyset condition and returns the page plus the next cursor. */
export function afterCursor<T extends { id: number }>(where: FilterQuery<T>, cursor: string | undefined): FilterQuery<T> {
  const after = decodeCursor(cursor)
  return after ? ({ $and: [where, { id: { $gt: after } }] } as FilterQuery<T>) : where
}

export function pageOf<T extends { id: number }>(rows: T[], limit: number): { page: T[]; nextCursor: string | null } {
  const page = rows.slice(0, limit)
  return { page, nextCursor: rows.length > limit ? encodeCursor(page[page.length - 1]!.id) : null }
}
