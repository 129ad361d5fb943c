/**
 * Filters and keyset cursors of the buffer lists (never OFFSET: fast at any depth). The lists'
 * pages are read by buffer.list.ts; `bufferWhere` is the same filter as a MikroORM query, for
 * "import all matching".
 */
import { raw, type FilterQuery } from '@mikro-orm/core'
import type { BufferState, CustomerErrorCode } from '@cm/contracts'
import type { BufferCustomerRow } from '../../db/buffer-customer.entity.ts'

export interface BufferFilterInput {
  state?: BufferState[]
  q?: string
  errorCode?: CustomerErrorCode[]
}

/** The search box's text as a LIKE pattern matching it literally (`_`, `%` and `\\` escaped), for `escape '\\'`. */
export const likeContains = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`

/** the search box's text as the lists compare it: trimmed, lower-cased like searchText; empty is no search */
export function searchTextQuery(q: string | undefined): string | undefined {
  const t = q?.trim().toLowerCase()
  return t ? t : undefined
}

/** `pending` includes rows a running batch holds (`importing`). */
export function storedStates(states: BufferState[]): string[] {
  return states.flatMap((s) => (s === 'pending' ? ['pending', 'importing'] : [s]))
}

export function bufferWhere(importId: number, f: BufferFilterInput): FilterQuery<BufferCustomerRow> {
  const and: FilterQuery<BufferCustomerRow>[] = [{ importId }]
  if (f.state?.length) and.push({ state: { $in: storedStates(f.state) } })
  const q = searchTextQuery(f.q)
  // a literal substring, as the list's search index matches it (the same SQL in both dialects)
  if (q) and.push({ searchText: { $like: raw(`? escape '\\'`, [likeContains(q)]) } } as FilterQuery<BufferCustomerRow>)
  if (f.errorCode?.length) and.push({ $or: f.errorCode.map((c) => ({ errorCodes: { $like: `% ${c} %` } })) })
  return { $and: and }
}

export function encodeCursor(id: number): string {
  return Buffer.from(String(id)).toString('base64url')
}
export function decodeCursor(cursor: string | undefined): number | null {
  return decodeListCursor(cursor)?.after ?? null
}

/**
 * A list cursor: the last id, and on a searched or code-filtered list the first page's total, so
 * later pages need not count again ("123", "123.4567", or "123.10000+" for an "at least").
 */
export interface ListCursor {
  after: number
  total: number | null
  capped: boolean
}

export function encodeListCursor(after: number, total: { n: number; capped: boolean } | null): string {
  return Buffer.from(total ? `${after}.${total.n}${total.capped ? '+' : ''}` : String(after)).toString('base64url')
}

export function decodeListCursor(cursor: string | undefined): ListCursor | null {
  if (!cursor) return null
  const m = /^(\d{1,15})(?:\.(\d{1,15})(\+)?)?$/.exec(Buffer.from(cursor, 'base64url').toString())
  const after = m ? Number(m[1]) : NaN
  if (!m || !Number.isSafeInteger(after) || after <= 0) return null
  return { after, total: m[2] !== undefined ? Number(m[2]) : null, capped: m[3] === '+' }
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
