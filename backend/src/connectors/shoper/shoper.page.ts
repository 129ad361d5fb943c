/**
 * One page of Shoper users → canonical customers: fetches the page's addresses and
 * subscribers (a few filtered calls, bounded by the page size) and maps each user.
 */
import type { CanonicalCustomer, SkipReason } from '@cm/contracts'
import { SourceError } from '../connector.ts'
import type { ShoperClient } from './shoper.client.ts'
import { mapShoperUser, type ShoperLookups } from './shoper.mapper.ts'
import { ShoperAddress, ShoperSubscriber, ShoperUser } from './shoper.types.ts'

export interface ShoperUsersPage {
  customers: CanonicalCustomer[]
  leftOut: Partial<Record<SkipReason, number>>
  /** highest user_id of the page */
  lastId: number
  /** active subscribers matched to a user of this page and to no earlier user */
  matchedSubscribers: number
}

const norm = (email: string) => email.trim().toLowerCase()

/** the e-mails as stored and lower-cased, in case the shop compares them case-sensitively */
const variants = (emails: Iterable<string>) => [...new Set([...emails].flatMap((e) => [e.trim(), norm(e)]).filter(Boolean))]

function parseAll<T>(rows: unknown[], schema: { safeParse(v: unknown): { success: boolean; data?: T } }): T[] {
  return rows.flatMap((r) => {
    const p = schema.safeParse(r)
    return p.success && p.data !== undefined ? [p.data] : []
  })
}

export async function readUsersPage(client: ShoperClient, rows: unknown[], prevLastId: number, lookups: ShoperLookups): Promise<ShoperUsersPage> {
  const users = parseAll<ShoperUser>(rows, ShoperUser)
  const invalid = rows.length - users.length
  if (users.length === 0) throw new SourceError('SOURCE_BAD_RESPONSE', 'a users page without a readable user_id', false)
  const lastId = Math.max(...users.map((u) => Number(u.user_id)))
  // a shop that ignored the filter would have us loop forever
  if (lastId <= prevLastId) throw new SourceError('SOURCE_BAD_RESPONSE', 'the shop ignored the user_id filter', false)

  const registered = users.filter((u) => u.registered)
  const addresses = registered.length
    ? parseAll<ShoperAddress>(
        await client.listAll('user-addresses', {
          filters: { user_id: { IN: registered.map((u) => Number(u.user_id)) } },
          order: ['address_book_id asc'],
        }),
        ShoperAddress,
      )
    : []

  // guests' e-mails too: a guest's subscription is not a newsletter-only one
  const emails = variants(users.map((u) => u.email))
  const subscribers = emails.length
    ? parseAll<ShoperSubscriber>(await client.listAll('subscribers', { filters: { email: { IN: emails } } }), ShoperSubscriber)
    : []

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

  return { customers, leftOut, lastId, matchedSubscribers: await countNewMatches(client, users, subscribers, prevLastId) }
}

/**
 * Active subscribers whose e-mail belongs to a user of this page, minus those whose e-mail
 * also belongs to an earlier user (already counted then). Asking the shop about earlier users
 * keeps this exact without remembering every e-mail seen.
 */
async function countNewMatches(client: ShoperClient, users: ShoperUser[], subscribers: ShoperSubscriber[], prevLastId: number): Promise<number> {
  const pageEmails = new Set(users.map((u) => norm(u.email)).filter(Boolean))
  const matched = new Map<string, ShoperSubscriber>()
  for (const s of subscribers) if (s.active && pageEmails.has(norm(s.email))) matched.set(s.subscriber_id, s)
  if (matched.size === 0 || prevLastId === 0) return matched.size
  const earlier = await client.listAll('users', {
    filters: { email: { IN: variants([...matched.values()].map((s) => s.email)) }, user_id: { '<=': prevLastId } },
  })
  const seen = new Set(parseAll<ShoperUser>(earlier, ShoperUser).map((u) => norm(u.email)))
  return [...matched.values()].filter((s) => !seen.has(norm(s.email))).length
}
