/**
 * The client's view of Shopify's cost bucket (a leaky bucket per app and shop). Every answer
 * reports `extensions.cost.throttleStatus` {maximumAvailable, currentlyAvailable, restoreRate};
 * between answers the bucket refills at restoreRate points a second. A query runs only when the
 * bucket holds its *requested* cost (the unused part is refunded afterwards), so the client
 * waits for that much before sending, and after a THROTTLED answer for exactly the shortfall.
 */
import type { ThrottleStatus } from './shopify.types.ts'

/** ms to wait until `cost` points are there, from a status read `sinceMs` ago */
export function waitForCostMs(cost: number, status: ThrottleStatus, sinceMs = 0): number {
  const now = Math.min(status.maximumAvailable, status.currentlyAvailable + (sinceMs / 1000) * status.restoreRate)
  if (now >= cost) return 0
  return Math.ceil(((cost - now) / status.restoreRate) * 1000)
}

export class CostBucket {
  private seen: { status: ThrottleStatus; at: number } | null = null

  /** @param now ms on the clock waits are measured in (the injected sleep's in tests) */
  constructor(private readonly now: () => number) {}

  note(status: ThrottleStatus): void {
    this.seen = { status, at: this.now() }
  }

  /** the last status, null before the first answer */
  get status(): ThrottleStatus | null {
    return this.seen?.status ?? null
  }

  /** ms to wait before a query of requested cost `cost` may be sent (0: now, or nothing known) */
  waitFor(cost: number): number {
    const s = this.seen
    if (!s) return 0
    // a query dearer than the whole bucket could never run; the caller shrinks it first
    return waitForCostMs(Math.min(cost, s.status.maximumAvailable), s.status, this.now() - s.at)
  }
}
