/** contracts/xml/example.xml must stay valid, and stay exactly what the writer would produce. */
import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import type { CanonicalCustomer } from '@cm/contracts'
import { verifyCustomerXml } from './xml.verifier.ts'
import { renderCustomer } from './xml.writer.ts'

const EXAMPLE = fileURLToPath(new URL('../../../../contracts/xml/example.xml', import.meta.url))

describe('contracts/xml/example.xml', () => {
  it('verifies with 3 customers', async () => {
    const customers: CanonicalCustomer[] = []
    const result = await verifyCustomerXml(EXAMPLE, { onCustomer: (c) => void customers.push(c) })
    expect(result.errors).toEqual([])
    expect(result).toMatchObject({ ok: true, customers: 3, header: { version: '1', platform: 'shoper', count: 3 } })
    expect(customers.map((c) => c.sourceId)).toEqual(['1001', '1002', '1003'])
    expect(customers[0]?.addresses).toHaveLength(2)
    expect(customers[1]?.company).toBe('Kowalski & Syn Sp. z o.o.')
    expect(customers[1]?.addresses[0]?.city).toBe('Łódź')
    expect(customers[2]).toMatchObject({ active: false, addresses: [], consents: [] })
  })

  it('is laid out exactly as the writer renders customers', async () => {
    const text = await readFile(EXAMPLE, 'utf8')
    const customers: CanonicalCustomer[] = []
    await verifyCustomerXml(EXAMPLE, { onCustomer: (c) => void customers.push(c) })
    const body = text.slice(text.indexOf('  <customer '), text.lastIndexOf('</customers>'))
    expect(customers.map(renderCustomer).join('')).toBe(body)
  })
})
