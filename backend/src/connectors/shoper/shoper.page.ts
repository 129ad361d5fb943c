/**
 * One page of Shoper users → canonical customers, joined with their addresses and subscribers
 * from the scratch table (the whole shop's, staged before), never by asking the shop per user.
 */
import type { CanonicalCustomer, SkipReason } from '@cm/contracts'
import { mapShoperUser, type ShoperLookups } from './shoper.mapper.ts'
import type { ShoperScratch } from './shoper.scratch.ts'
import { ShoperAddress, ShoperSubscriber, ShoperUser } from './shoper.types.ts'

export interface ShoperUsersPage {
  customers: CanonicalCustomer[]
  leftOut: Partial<Record<SkipReason, number>>
  /** users handed out in this page (each user once per fetch) */
  read: number
}

function parseAll<T>(rows: unknown[], schema: { safeParse(v: unknown): { success: boolean; data?: T } }): T[] {
  return rows.flatMap((r) => {
    const p = schema.safeParse(r)
    return p.success && p.data !== undefined ? [p.data] : []
  })
}

/** the user ids of rows, in order; rows without a readable id are null */
export function userIds(rows: unknown[]): Array<string | null> {
  return rows.map((r) => {
    const p = ShoperUser.safeParse(r)
    return p.success ? p.data.user_id : null
  })
}

/**
 * Maps the users of `rows` that no earlier page handed out (marked in the scratch under `seq`);
 * rows with no readable user_id count as invalid records.
 */
export function readUsersPage(rows: unknown[], scratch: ShoperScratch, seq: number, lookups: ShoperLookups): ShoperUsersPage {
  const parsed = parseAll<ShoperUser>(rows, ShoperUser)
  const invalid = rows.length - parsed.length
  const fresh = scratch.markSeen(
    parsed.map((u) => ({ id: u.user_id, email: u.email })),
    seq,
  )
  const users: ShoperUser[] = []
  for (const u of parsed) if (fresh.delete(u.user_id)) users.push(u)

  const registered = users.filter((u) => u.registered)
  const addresses = parseAll<ShoperAddress>(scratch.addressesOf(registered.map((u) => u.user_id)), ShoperAddress)
  // guests' e-mails too: a guest's subscription is not a newsletter-only one
  const subscribers = parseAll<ShoperSubscriber>(scratch.subscribersOf(users.map((u) => u.email)), ShoperSubscriber)

  const customers: CanonicalCustomer[] = []
  const leftOut: Partial<Record<SkipReason, number>> = {}
  if (invalid) leftOut.invalid_record = invalid
  const byUser = new Map<string, ShoperAddress[]>()
  for (const a of addresses) byUser.set(a.user_id, [...(byUser.get(a.user_id) ?? []), a])
  for (const u of users) {
    const r = mapShoperUser(u, byUser.get(u.user_id) ?? [], subscribers, lookups)
    if (r.kind === 'customer') customers.push(r.customer)
    else leftOut[r.reason] = (leftOut[r.reason] ?? 0) + 1
  }
  return { customers, leftOut, read: users.length + invalid }
}
