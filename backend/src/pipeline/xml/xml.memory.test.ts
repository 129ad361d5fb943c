/**
 * Memory stays flat while a large file is verified: a ~200 MB file always, a ~1 GB file with
 * RELIABILITY_BIG=1 (about half a minute on 2 cores). The file is generated from one rendered
 * customer whose long, Shopify-style sourceId changes; ids of that length are what once kept every
 * 256 KiB read chunk alive. Retained memory is measured after a forced GC every 25 000 customers,
 * as JS heap plus array buffers: under 150 MiB in all; the JS heap grows by under 32 MiB, and array
 * buffers by under the sourceId set's own size + 16 MiB. The set is the one thing that must grow
 * with the customer count: 50–80 bytes for each of these 35-character ids, with its doubling slack.
 */
import { createWriteStream } from 'node:fs'
import { mkdtemp, rm, stat } from 'node:fs/promises'
import { once } from 'node:events'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { describe, expect, it } from 'vitest'
import { reliabilityCase } from '../../testing/reliability.ts'
import { SourceIdSet } from './xml.idset.ts'
import { verifyCustomerXml } from './xml.verifier.ts'
import { address, customer, GENERATED_AT } from './xml.fixtures.ts'
import { countSlot, FOOTER, renderCustomer, renderHeader } from './xml.render.ts'

const MiB = 1024 ** 2
/** the bound on retained memory growth, whatever the file's size */
const RETAINED_LIMIT = 150 * MiB
/** JS heap growth allowed: the heap itself must stay flat */
const HEAP_LIMIT = 32 * MiB
/** array buffers allowed besides the sourceId set (read chunks in flight) */
const BUFFER_SLACK = 16 * MiB
const SAMPLE_EVERY = 25_000

function forcedGc(): () => void {
  if (typeof globalThis.gc === 'function') return globalThis.gc
  setFlagsFromString('--expose-gc')
  return runInNewContext('gc') as () => void
}

const ID_PLACEHOLDER = '@@SOURCE-ID@@'
const sourceId = (i: number) => `gid://shopify/Customer/${String(i).padStart(12, '0')}`

/** Writes a valid file of about `target` bytes: every customer has the same size, so the count is known up front. */
async function generate(path: string, target: number): Promise<{ customers: number; bytes: number }> {
  const template = renderCustomer(
    customer(ID_PLACEHOLDER, {
      email: 'anna.wisniewska@example.pl',
      firstName: 'Anna',
      lastName: 'Wiśniewska-Żak',
      phone: '+48 600 700 800',
      registeredAt: '2021-03-04T05:06:07.000Z',
      addresses: [address({ firstName: 'Anna', lastName: 'Wiśniewska-Żak', street: 'ul. Źródlana 12/3', city: 'Łódź', postcode: '90-001' })],
      consents: [{ channel: 'email', granted: true, date: '2021-03-04T05:06:07.000Z' }],
    }),
  )
  const [before, after] = template.split(ID_PLACEHOLDER) as [string, string]
  const perCustomer = Buffer.byteLength(before + sourceId(0) + after)
  const customers = Math.floor(target / perCustomer)
  const { text: header } = renderHeader({ platform: 'shopify', domain: 'https://big.example.com', generatedAt: GENERATED_AT })
  const out = createWriteStream(path)
  out.write(header.replace(countSlot(0), countSlot(customers)))
  const BATCH = 10_000
  for (let start = 0; start < customers; start += BATCH) {
    const parts: string[] = []
    for (let i = start; i < Math.min(customers, start + BATCH); i++) parts.push(before, sourceId(i + 1), after)
    if (!out.write(parts.join(''))) await once(out, 'drain')
  }
  out.end(FOOTER)
  await once(out, 'finish')
  return { customers, bytes: (await stat(path)).size }
}

async function verifyLarge(target: number, label: string): Promise<void> {
  const rc = reliabilityCase('xml', `a ${label} file verified with retained memory under 150 MiB`)
  const dir = await mkdtemp(join(tmpdir(), 'xml-memory-'))
  try {
    const path = join(dir, 'large.xml')
    const written = Date.now()
    const { customers, bytes } = await generate(path, target)
    const writeSeconds = (Date.now() - written) / 1000
    expect(bytes).toBeGreaterThan(target * 0.99)

    const gc = forcedGc()
    const retained = () => {
      gc()
      const { heapUsed, arrayBuffers } = process.memoryUsage()
      return { heap: heapUsed, buffers: arrayBuffers }
    }
    // let the generator's buffers be finalized first, so the baseline is not inflated by them
    for (let i = 0; i < 3; i++) {
      retained()
      await new Promise((resolve) => setImmediate(resolve))
    }
    const base = retained()
    let peakRetained = 0
    let peakHeap = 0
    let peakBuffers = 0
    let peakRss = process.memoryUsage().rss
    let seen = 0
    let lastId = ''
    const started = Date.now()
    const result = await verifyCustomerXml(path, {
      onCustomer: (c) => {
        lastId = c.sourceId
        if (++seen % SAMPLE_EVERY === 0) {
          const now = retained()
          peakHeap = Math.max(peakHeap, now.heap - base.heap)
          peakBuffers = Math.max(peakBuffers, now.buffers - base.buffers)
          peakRetained = Math.max(peakRetained, now.heap + now.buffers - base.heap - base.buffers)
          peakRss = Math.max(peakRss, process.memoryUsage().rss)
        }
      },
    })
    const seconds = (Date.now() - started) / 1000
    // a valid file: tried, not one to reject
    rc.tried(1)
    rc.note(`peak retained growth ${(peakRetained / MiB).toFixed(1)} MiB, ${seen} of ${customers} customers handed on, ${seconds.toFixed(1)} s`)
    expect(result.errors).toEqual([])
    expect(result).toMatchObject({ ok: true, customers, header: { count: customers } })
    expect(seen).toBe(customers)
    expect(lastId).toBe(sourceId(customers))
    const figures = {
      file: `${(bytes / MiB).toFixed(0)} MiB`,
      customers,
      written: `${writeSeconds.toFixed(1)} s`,
      verified: `${seconds.toFixed(1)} s, ${(bytes / MiB / seconds).toFixed(1)} MiB/s`,
      peakRetainedGrowth: `${(peakRetained / MiB).toFixed(1)} MiB`,
      peakHeapGrowth: `${(peakHeap / MiB).toFixed(1)} MiB`,
      peakArrayBufferGrowth: `${(peakBuffers / MiB).toFixed(1)} MiB`,
      peakRss: `${(peakRss / MiB).toFixed(0)} MiB`,
    }
    // the default duplicate check's own size at the end, replayed with the same ids
    const ids = new SourceIdSet()
    for (let i = 1; i <= customers; i++) ids.seen(sourceId(i))
    console.info(`verifying a ${label} file`, { ...figures, sourceIdSet: `${(ids.footprint / MiB).toFixed(1)} MiB` })
    expect(peakRetained).toBeLessThan(RETAINED_LIMIT)
    expect(peakHeap).toBeLessThan(HEAP_LIMIT)
    expect(peakBuffers).toBeLessThan(ids.footprint + BUFFER_SLACK)
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

describe('reliability: memory stays flat on large files', () => {
  it('a ~200 MB file', { timeout: 180_000 }, async () => {
    await verifyLarge(200 * MiB, '200 MB')
  })

  it.runIf(process.env.RELIABILITY_BIG === '1')('a ~1 GB file (RELIABILITY_BIG=1)', { timeout: 600_000 }, async () => {
    await verifyLarge(1024 * MiB, '1 GB')
  })
})
