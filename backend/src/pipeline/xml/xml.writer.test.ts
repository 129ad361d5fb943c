import { appendFile, mkdtemp, readFile, rm, stat, truncate } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CanonicalCustomer } from '@cm/contracts'
import { CustomerXmlWriter, renderCustomer } from './xml.writer.ts'
import { verifyCustomerXml } from './xml.verifier.ts'
import { address, customer } from './xml.fixtures.ts'

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'xml-writer-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})
let n = 0
const newPath = () => join(dir, `out-${++n}.xml`)
const HEADER = { platform: 'shoper', domain: 'https://sklep.example.pl/?a=1&b="2"', generatedAt: '2025-01-01T00:00:00.000Z' }

async function readBack(path: string) {
  const customers: CanonicalCustomer[] = []
  const result = await verifyCustomerXml(path, { onCustomer: (c) => void customers.push(c) })
  return { ...result, list: customers }
}

const ids = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => customer(String(from + i)))

// What XML 1.0 cannot carry at all (C0 controls but tab/LF/CR, U+FFFE/U+FFFF, a lone surrogate) is dropped.
const TRICKY = 'Zażółć gęślą jaźń ŻÓŁW & <b>"cytat" \'apos\' ]]> tab\there\nnew line\r\nCRLF \r lone CR \u0000nul\u0001\u0008\u000B\u000C\u001F\uFFFE\uFFFF\uD800 😀'
const TRICKY_READ = 'Zażółć gęślą jaźń ŻÓŁW & <b>"cytat" \'apos\' ]]> tab\there\nnew line\r\nCRLF \r lone CR nul 😀'

describe('CustomerXmlWriter', () => {
  it('round-trips customers exactly through the verifier (Polish letters, markup characters, whitespace, controls)', async () => {
    const path = newPath()
    const tricky = (id: string): CanonicalCustomer =>
      customer(id, {
        login: TRICKY,
        firstName: 'Łucja',
        lastName: 'Źdźbło-Śliwińska',
        company: 'Kowalski & Syn <Sp. z o.o.>',
        group: TRICKY,
        active: id !== 'b',
        addresses: [address({ street: TRICKY, isDefaultShipping: false }), address({ city: 'Łódź', isDefaultBilling: false })],
        consents: [
          { channel: 'email', granted: true, date: '2024-05-06T07:08:09.000Z' },
          { channel: 'sms', granted: false, date: null },
        ],
      })
    const written = [tricky('a"b\tc\nd&<>\r'), tricky('b'), customer('c')]
    const writer = await CustomerXmlWriter.create(path, HEADER)
    await writer.writeCustomers(written.slice(0, 2))
    await writer.writeCustomers([])
    await writer.writeCustomers(written.slice(2))
    const done = await writer.finish('2025-02-03T04:05:06.789Z')

    const read = await readBack(path)
    expect(read.errors).toEqual([])
    expect(read.header).toEqual({ version: '1', platform: 'shoper', domain: HEADER.domain, generatedAt: '2025-02-03T04:05:06.789Z', count: 3 })
    const clean = (s: string) => (s === TRICKY ? TRICKY_READ : s)
    const expected = written.map((c) => ({
      ...c,
      login: clean(c.login),
      group: clean(c.group),
      addresses: c.addresses.map((a) => ({ ...a, street: clean(a.street) })),
    }))
    expect(read.list).toEqual(expected)
    expect(done).toEqual({ bytes: (await stat(path)).size, customers: 3 })
  })

  it('patches the count into a fixed-width slot, padding with spaces before ">"', async () => {
    const path = newPath()
    const writer = await CustomerXmlWriter.create(path, HEADER)
    await writer.writeCustomers(ids(1, 12))
    await writer.finish('2025-02-03T04:05:06.789Z')
    const text = await readFile(path, 'utf8')
    expect(text).toMatch(/generatedAt="2025-02-03T04:05:06\.789Z" count="12" +>\n  <customer /)
    expect(text.endsWith('  </customer>\n</customers>\n')).toBe(true)
  })

  it('after a crash, resume(checkpoint) drops the unsaved tail and carries on to an exact file', async () => {
    const path = newPath()
    const first = await CustomerXmlWriter.create(path, HEADER)
    await first.writeCustomers(ids(1, 10))
    const checkpoint = await first.checkpoint()
    expect(checkpoint).toMatchObject({ customers: 10, bytes: (await stat(path)).size })
    await first.writeCustomers(ids(11, 20)) // written but never checkpointed
    await first.abort() // the process dies here...
    await appendFile(path, '  <customer sourceId="21">\n    <lo') // ...in the middle of a write

    const second = await CustomerXmlWriter.resume(path, checkpoint)
    await second.writeCustomers(ids(11, 20))
    await second.checkpoint()
    await second.writeCustomers(ids(21, 25))
    expect(await second.finish()).toMatchObject({ customers: 25 })

    const read = await readBack(path)
    expect(read.errors).toEqual([])
    expect(read.header?.count).toBe(25)
    expect(read.list.map((c) => c.sourceId)).toEqual(ids(1, 25).map((c) => c.sourceId))
  })

  it('resumes from a checkpoint taken before any customer', async () => {
    const path = newPath()
    const writer = await CustomerXmlWriter.create(path, HEADER)
    const checkpoint = await writer.checkpoint()
    await writer.writeCustomers(ids(1, 3))
    await writer.abort()
    const resumed = await CustomerXmlWriter.resume(path, checkpoint)
    await resumed.writeCustomers(ids(1, 2))
    await resumed.finish()
    const read = await readBack(path)
    expect(read).toMatchObject({ ok: true, customers: 2, header: { count: 2 } })
  })

  it('refuses to resume a file that lost data or is not the checkpointed one', async () => {
    const path = newPath()
    const writer = await CustomerXmlWriter.create(path, HEADER)
    await writer.writeCustomers(ids(1, 3))
    const checkpoint = await writer.checkpoint()
    await writer.abort()
    await expect(CustomerXmlWriter.resume(path, { ...checkpoint, countSlotOffset: checkpoint.countSlotOffset + 1 })).rejects.toThrow(/count slot/)
    await truncate(path, checkpoint.bytes - 1)
    await expect(CustomerXmlWriter.resume(path, checkpoint)).rejects.toThrow(/shorter/)
  })

  it('refuses use after finish and overlapping calls', async () => {
    const writer = await CustomerXmlWriter.create(newPath(), HEADER)
    const a = writer.writeCustomers(ids(1, 2))
    await expect(writer.writeCustomers(ids(3, 4))).rejects.toThrow(/busy/)
    await a
    await writer.finish()
    await expect(writer.writeCustomers(ids(5, 6))).rejects.toThrow(/closed/)
    await writer.abort() // harmless
  })

  it('refuses a generatedAt that cannot fill the fixed-width slot', async () => {
    await expect(CustomerXmlWriter.create(newPath(), { ...HEADER, generatedAt: 'yesterday' })).rejects.toThrow(RangeError)
  })
})

describe('renderCustomer', () => {
  it('emits every element in order, empty ones too, booleans as true/false', () => {
    expect(renderCustomer(customer('7', { active: false, addresses: [address({ company: 'A&B' })] }))).toBe(
      [
        '  <customer sourceId="7">',
        '    <login/>',
        '    <email>klient7@example.pl</email>',
        '    <firstName>Jan</firstName>',
        '    <lastName>Kowalski</lastName>',
        '    <company/>',
        '    <vatNumber/>',
        '    <phone/>',
        '    <birthDate/>',
        '    <language>pl</language>',
        '    <group/>',
        '    <active>false</active>',
        '    <registeredAt/>',
        '    <addresses>',
        '      <address billing="true" shipping="true">',
        '        <firstName>Jan</firstName>',
        '        <lastName>Kowalski</lastName>',
        '        <company>A&amp;B</company>',
        '        <street>ul. Długa 1</street>',
        '        <postcode>00-001</postcode>',
        '        <city>Warszawa</city>',
        '        <countryCode>PL</countryCode>',
        '        <phone/>',
        '        <vatNumber/>',
        '      </address>',
        '    </addresses>',
        '    <consents/>',
        '  </customer>',
        '',
      ].join('\n'),
    )
  })
})
