/**
 * Throttled Shoper fetch lines for `npm run bench`: the connector against the mock with Shoper's
 * default bucket (10 requests, 2/s), on the mock's clock moved by the client's sleeps (a simulated
 * second, so 10,000 customers charged per operation take seconds, not minutes). Ideal: the fewest
 * drops the strategy needs × 0.5 s, minus the 10 the full bucket lets through at once.
 */
import { createShoperConnector } from '../backend/src/connectors/shoper/shoper.connector.ts'
import { SHOPER_BULK_MAX_OPS, SHOPER_PAGE_LIMIT } from '../backend/src/connectors/shoper/shoper.client.ts'
import type { ShoperBulkCharge } from '../backend/src/connectors/shoper/shoper.mock-server.ts'
import { testShop } from '../backend/src/connectors/shoper/shoper.testing.ts'

const pagesOf = (n: number) => Math.max(1, Math.ceil(n / SHOPER_PAGE_LIMIT))

/** drops of the plan with no waste: auth, languages, groups, then the lists (bulk: 25 pages a call) */
function idealDrops(mode: 'documented' | 'fast', charge: ShoperBulkCharge, users: number, maxId: number, addresses: number, subscribers: number): number {
  const calls = (ops: number) => (charge === 'operation' ? ops : Math.ceil(ops / SHOPER_BULK_MAX_OPS))
  const staged = calls(pagesOf(addresses) - 1) + 1 + calls(pagesOf(subscribers) - 1) + 1
  // page 1, the probe (answered 400 or ignored), then 24 pages and the boundary check op per call
  const rest = pagesOf(users) - 1
  if (mode === 'documented') return 3 + 1 + 1 + (charge === 'operation' ? rest + Math.ceil(rest / 24) : Math.ceil(rest / 24)) + staged
  // page 1, the probe, then windows of 50 ids, 24 and one counting op per call
  const windows = Math.max(0, Math.ceil((maxId - SHOPER_PAGE_LIMIT) / SHOPER_PAGE_LIMIT))
  const perCall = SHOPER_BULK_MAX_OPS - 1
  const bulkCalls = Math.max(1, Math.ceil(windows / perCall))
  return 3 + 1 + 1 + (charge === 'operation' ? windows + bulkCalls : bulkCalls) + staged
}

export async function benchShoperThrottled(): Promise<void> {
  console.log('Shoper throttled fetch (bucket 10, 2/s; simulated seconds on the mock clock):')
  for (const count of [1_000, 10_000]) {
    for (const mode of ['documented', 'fast'] as const) {
      for (const bulkCharge of ['request', 'operation'] as const) {
        const shop = await testShop({ count, seed: 11, listParams: mode === 'fast' ? 'honour' : 'ignore', bulkCharge, bucket: { limit: 10, leakPerSecond: 2 } })
        const d = shop.mock.data
        const ideal = Math.max(0, idealDrops(mode, bulkCharge, d.users.length, Math.max(...d.users.map((u) => Number(u.user_id))), d.addresses.length, d.subscribers.length) - 10) * 0.5
        const t0 = shop.time.clock()
        const w0 = performance.now()
        let customers = 0
        for await (const p of createShoperConnector().pages(shop.credentials, null, shop.http)) customers += p.customers.length
        const took = (shop.time.clock() - t0) / 1000
        const s = shop.mock.state
        console.log(
          `  ${String(count).padStart(6)} customers, ${mode.padEnd(10)} bulk per ${bulkCharge.padEnd(9)}: ${took.toFixed(1)} s, ideal ${ideal.toFixed(1)} s, ratio ${ideal === 0 ? 'n/a (within the 10 free)' : (ideal / Math.max(took, 1e-9)).toFixed(2)}` +
            ` (${s.requests} requests, ${s.drops} drops, ${s.bulkCalls} bulk calls / ${s.bulkOps} ops, ${s.throttled} × 429; ${customers} customers; ${((performance.now() - w0) / 1000).toFixed(1)} s real)`,
        )
        await shop.close()
      }
    }
  }
}
