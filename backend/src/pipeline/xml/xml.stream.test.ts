/** A ~60 MB file, written and verified in bounded memory. */
import { mkdtemp, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, it } from 'vitest'
import { CustomerXmlWriter } from './xml.writer.ts'
import { verifyCustomerXml } from './xml.verifier.ts'
import { address, customer } from './xml.fixtures.ts'

const CUSTOMERS = 100_000
const BATCH = 1_000

it('writes and verifies 100k customers with flat memory', { timeout: 20_000 }, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'xml-stream-'))
  try {
    const path = join(dir, 'big.xml')
    const writer = await CustomerXmlWriter.create(path, { platform: 'shoper', domain: 'https://big.example.pl', generatedAt: new Date().toISOString() })
    for (let start = 0; start < CUSTOMERS; start += BATCH) {
      const batch = Array.from({ length: BATCH }, (_, i) => {
        const id = start + i + 1
        return customer(String(id), {
          lastName: `Wiśniewska-${id}`,
          addresses: id % 2 ? [address({ street: `ul. Żeromskiego ${id}` })] : [],
          consents: [{ channel: 'email', granted: true, date: null }],
        })
      })
      await writer.writeCustomers(batch)
    }
    await writer.finish()
    const { size } = await stat(path)
    expect(size).toBeGreaterThan(40 * 1024 ** 2)

    const before = process.memoryUsage().rss
    let peak = before
    let seen = 0
    const result = await verifyCustomerXml(path, {
      onCustomer: () => {
        if (++seen % 5_000 === 0) peak = Math.max(peak, process.memoryUsage().rss)
      },
    })
    expect(result.errors).toEqual([])
    expect(result).toMatchObject({ ok: true, customers: CUSTOMERS, header: { count: CUSTOMERS } })
    expect(seen).toBe(CUSTOMERS)
    expect(peak - before).toBeLessThan(100 * 1024 ** 2)
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
})
