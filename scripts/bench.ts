/**
 * Speed and memory figures of the pipeline, with ratios that show what scales and what stays
 * flat. Not a test: it prints, a person reads. `npm run bench` (BENCH_CUSTOMERS=100000 default).
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import type { CanonicalCustomer, ImportDetails, ListEnvelope, BufferedCustomer } from '@cm/contracts'
import { CustomerXmlWriter } from '../backend/src/pipeline/xml/xml.writer.ts'
import { verifyCustomerXml } from '../backend/src/pipeline/xml/xml.verifier.ts'
import { startTestModule } from '../backend/src/testing/test-module.ts'
import { benchShoperThrottled } from './bench-shoper.ts'

const N = Number(process.env.BENCH_CUSTOMERS ?? 100_000)
const SMALL = Math.max(1_000, Math.round(N / 10))
const dir = mkdtempSync(path.join(tmpdir(), 'cm-bench-'))
const mb = (b: number) => (b / 1024 / 1024).toFixed(1)

function customer(i: number): CanonicalCustomer {
  return {
    sourceId: String(i + 1), login: '', email: `klient.${i}@przyklad.pl`, firstName: 'Zażółć', lastName: `Gęśląjaźń${i % 97}`,
    company: i % 10 === 0 ? `Firma ${i} Sp. z o.o.` : '', vatNumber: '', phone: '+48 600 700 800', birthDate: '', language: 'pl',
    group: '', active: true, registeredAt: '2024-01-02T03:04:05',
    addresses: [{ firstName: 'Zażółć', lastName: 'Gęśląjaźń', company: '', street: `ul. Długa ${i % 300}`, postcode: '31-134', city: 'Kraków',
      countryCode: 'PL', phone: '600700800', vatNumber: '', isDefaultBilling: true, isDefaultShipping: true }],
    consents: [{ channel: 'email', granted: i % 3 === 0, date: null }],
  }
}

async function writeFile(n: number): Promise<{ file: string; seconds: number; bytes: number }> {
  const file = path.join(dir, `bench-${n}.xml`)
  const t0 = performance.now()
  const w = await CustomerXmlWriter.create(file, { platform: 'shoper', domain: 'https://sklep.example.pl', generatedAt: new Date().toISOString() })
  for (let i = 0; i < n; i += 50) {
    await w.writeCustomers(Array.from({ length: Math.min(50, n - i) }, (_, k) => customer(i + k)))
    if ((i / 50) % 20 === 0) await w.checkpoint() // as the fetch does, every page or so
  }
  const done = await w.finish()
  return { file, seconds: (performance.now() - t0) / 1000, bytes: done.bytes }
}

/** Retained heap (after a forced GC every 5,000 customers) is what "flat" means; RSS only says how lazy the GC was. */
async function verifyFile(file: string): Promise<{ seconds: number; retainedGrowth: number; rssGrowth: number; customers: number }> {
  const gc = (globalThis as { gc?: () => void }).gc ?? (() => {})
  gc()
  const baseHeap = process.memoryUsage().heapUsed
  const baseRss = process.memoryUsage().rss
  let retained = 0
  let rss = 0
  let n = 0
  const t0 = performance.now()
  const r = await verifyCustomerXml(file, {
    onCustomer: () => {
      if (++n % 5000 === 0) {
        gc()
        retained = Math.max(retained, process.memoryUsage().heapUsed - baseHeap)
        rss = Math.max(rss, process.memoryUsage().rss - baseRss)
      }
    },
  })
  if (!r.ok) throw new Error(JSON.stringify(r.errors.slice(0, 3)))
  return { seconds: (performance.now() - t0) / 1000, retainedGrowth: retained, rssGrowth: rss, customers: r.customers }
}

if (process.argv.includes('--only') && process.argv.includes('shoper-throttled')) {
  await benchShoperThrottled()
  rmSync(dir, { recursive: true, force: true })
  process.exit(0)
}
console.log(`== customer-migration benchmark (${N} customers; small run ${SMALL}) on Node ${process.version}`)
const small = await writeFile(SMALL)
const big = await writeFile(N)
console.log(`XML write:   ${N} customers, ${mb(big.bytes)} MB in ${big.seconds.toFixed(2)} s = ${Math.round(N / big.seconds)} customers/s`)
const vs = await verifyFile(small.file)
const vb = await verifyFile(big.file)
console.log(`XML verify:  ${mb(big.bytes)} MB in ${(vb.seconds).toFixed(2)} s (with a GC every 5,000 customers) = ${(big.bytes / 1024 / 1024 / vb.seconds).toFixed(1)} MB/s`)
console.log(`  retained heap while verifying: ${mb(vs.retainedGrowth)} MB for ${SMALL}, ${mb(vb.retainedGrowth)} MB for ${N} customers → file ${(big.bytes / small.bytes).toFixed(1)}× larger, heap ${(vb.retainedGrowth / Math.max(1, vs.retainedGrowth)).toFixed(1)}× (only the duplicate-sourceId set grows: ~${Math.round(vb.retainedGrowth / N)} B per customer); RSS growth ${mb(vb.rssGrowth)} MB`)

const t = await startTestModule()
try {
  const form = new FormData()
  form.set('file', new Blob([await import('node:fs/promises').then((f) => f.readFile(big.file))]), 'bench.xml')
  form.set('shopIds', '1')
  const up = (await (await t.module.app.request('/imports/upload', { method: 'POST', body: form, headers: { 'x-test-user': 'operator' } })).json()) as ImportDetails
  const t0 = performance.now()
  await t.json('operator', `/imports/${up.id}/verify`, { method: 'POST' })
  const loaded = await t.waitFor(() => t.json<ImportDetails>('operator', `/imports/${up.id}`).then((r) => r.body), (d) => d.status !== 'verifying', 600_000)
  const loadSeconds = (performance.now() - t0) / 1000
  console.log(`Verify + load buffer (worker → batched inserts, in-memory SQLite): ${loaded.counts.pending} rows in ${loadSeconds.toFixed(2)} s = ${Math.round(loaded.counts.pending / loadSeconds)} rows/s`)

  const time = async (f: () => Promise<unknown>, runs = 5) => {
    const ts: number[] = []
    for (let i = 0; i < runs; i++) {
      const s = performance.now()
      await f()
      ts.push(performance.now() - s)
    }
    return ts.sort((a, b) => a - b)[Math.floor(runs / 2)]!
  }
  const first = await time(() => t.json('operator', `/imports/${up.id}/buffer?limit=50`))
  const deepCursor = Buffer.from(String((await t.orm.em.fork().getConnection().execute('select max(id) - 60 as m from xcm_buffer_customer'))[0]!.m)).toString('base64url')
  const deep = await time(() => t.json<ListEnvelope<BufferedCustomer>>('operator', `/imports/${up.id}/buffer?limit=50&cursor=${deepCursor}`))
  const search = await time(() => t.json('operator', `/imports/${up.id}/buffer?limit=50&q=gęśląjaźń42`))
  console.log(`Buffer list (keyset, 50 rows, with total): first page ${first.toFixed(1)} ms, page at row ${N - 60} ${deep.toFixed(1)} ms → ratio ${(deep / first).toFixed(2)}× (keyset: depth costs nothing); search ${search.toFixed(1)} ms`)

  const ids = (await t.json<ListEnvelope<BufferedCustomer>>('operator', `/imports/${up.id}/buffer?limit=500`)).body.items.map((r) => r.id)
  const i0 = performance.now()
  const res = await t.json<{ imported: number; failed: number }>('operator', `/imports/${up.id}/buffer/import`, { method: 'POST', body: JSON.stringify({ ids }) })
  const importSeconds = (performance.now() - i0) / 1000
  console.log(`Import 500 selected (rules + panel port in batches of 200): ${res.body.imported} imported, ${res.body.failed} failed in ${importSeconds.toFixed(2)} s = ${Math.round(500 / importSeconds)} customers/s`)
} finally {
  await t.close()
  rmSync(dir, { recursive: true, force: true })
}
await benchShoperThrottled()
void statSync
