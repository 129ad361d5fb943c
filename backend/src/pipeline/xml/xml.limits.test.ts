/**
 * The verifier's limits (size, elements, customers, depth, text runs) and its behaviour on
 * truncated and randomly damaged files: each rejection names a line and column inside the file,
 * and nothing ever throws out of the verifier.
 */
import { open, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ADDRESS_ELEMENTS, CUSTOMER_CONTAINERS, CUSTOMER_ELEMENTS, XML_LIMITS, type CanonicalCustomer, type Consent, type XmlIssueCode } from '@cm/contracts'
import { reliabilityCase, type ReliabilityCase } from '../../testing/reliability.ts'
import { verifyCustomerXml, type VerifyXmlOptions, type VerifyXmlResult } from './xml.verifier.ts'
import { address, customer, positionOf, xmlDocument } from './xml.fixtures.ts'

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'xml-limits-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

let n = 0
async function fileWith(content: string | Uint8Array): Promise<string> {
  const path = join(dir, `case-${++n}.xml`)
  await writeFile(path, content)
  return path
}

/** Index of the n-th (1-based) start tag in a document, counted independently of the verifier. */
function nthStartTag(doc: string, nth: number): number {
  const re = /<(?![?!/])/g
  for (let i = 1; ; i++) {
    const m = re.exec(doc)
    if (!m) throw new Error(`fewer than ${nth} start tags`)
    if (i === nth) return m.index
  }
}

/**
 * Each issue's line and column lie inside the file (a column may point just past a line's end).
 * Lines end as XML says (§2.11): at CR LF, a lone CR or LF.
 */
function insideFile(result: VerifyXmlResult, content: string | Uint8Array): boolean {
  const lines = (typeof content === 'string' ? content : Buffer.from(content).toString('utf8')).split(/\r\n|\r|\n/)
  return result.errors.every(
    (e) => Number.isInteger(e.line) && Number.isInteger(e.column) && e.line >= 1 && e.column >= 1 && e.line <= lines.length && e.column <= [...lines[e.line - 1]!].length + 1,
  )
}

/** one file tried; refused only when the verifier said so */
function verified(rc: ReliabilityCase, result: VerifyXmlResult): VerifyXmlResult {
  rc.tried(1)
  if (!result.ok) rc.rejected(1)
  return result
}

const TWO = xmlDocument([customer('1'), customer('2')])
const THREE = xmlDocument([customer('1'), customer('2'), customer('3')])
const WITH_ADDRESS = xmlDocument([customer('1', { addresses: [address()] })])
const consents = (k: number): Consent[] => Array.from({ length: k }, (_, i) => ({ channel: i % 2 ? 'sms' : 'email', granted: true, date: null }))
/** The largest customer the format allows: 100 addresses, 10 consents, every element written. */
const FULLEST = customer('1', { addresses: Array.from({ length: XML_LIMITS.addressesPerCustomer }, () => address()), consents: consents(XML_LIMITS.consentsPerCustomer) })

const FLOOD = TWO.replace('    <phone/>', `    <fax>${'<x/>'.repeat(2_000)}</fax>`)

type Case = { tried: string; content: string; opts?: VerifyXmlOptions; code: XmlIssueCode; at: number; last?: boolean }

const cases: Case[] = [
  { tried: 'an element past maxElements (20 allowed, 31 in the file)', content: TWO, opts: { maxElements: 20 }, code: 'XML_TOO_MANY', at: nthStartTag(TWO, 21) },
  { tried: 'a customer past maxCustomers (2 allowed, 3 in the file)', content: THREE, opts: { maxCustomers: 2 }, code: 'XML_TOO_MANY', at: THREE.indexOf('<customer sourceId="3"') },
  {
    tried: 'a depth bomb: a million nested elements inside an address field',
    content: WITH_ADDRESS.replace('<street>ul. Długa 1', `<street>${'<b>'.repeat(1_000_000)}`),
    code: 'XML_TOO_DEEP',
    at: WITH_ADDRESS.indexOf('<street>') + '<street>'.length,
  },
  {
    tried: 'an element flood inside one customer (2 000 children of an unknown element)',
    content: FLOOD,
    code: 'XML_TOO_MANY',
    // the customer's 1026th element: <customer>, 6 fields, <fax> (8 so far), then the 1018th <x/>
    at: FLOOD.indexOf('<fax>') + '<fax>'.length + '<x/>'.length * (XML_LIMITS.elementsPerCustomer + 1 - 8 - 1),
    last: true,
  },
  {
    tried: '1 000 addresses in one customer (junk past the 100 allowed)',
    content: xmlDocument([customer('1', { addresses: Array.from({ length: 1_000 }, () => address()) })]),
    code: 'XML_TOO_MANY',
    at: -1,
  },
  {
    tried: 'a sourceId of 3 million characters',
    content: TWO.replace('sourceId="1"', `sourceId="${'x'.repeat(3_000_000)}"`),
    code: 'XML_TEXT_TOO_LONG',
    at: -1,
  },
  {
    tried: 'a comment of 3 million characters',
    content: TWO.replace('    <email>', `    <!--${'x'.repeat(3_000_000)}--><email>`),
    code: 'XML_TEXT_TOO_LONG',
    at: -1,
  },
  {
    tried: '100 000 attributes on one element',
    content: TWO.replace('<email>', `<email ${Array.from({ length: 100_000 }, (_, i) => `a${i}=""`).join(' ')}>`),
    code: 'XML_UNKNOWN_ATTRIBUTE',
    at: TWO.indexOf('<email>'),
  },
]

describe('reliability: the verifier limits', () => {
  it('elementsPerCustomer is what the format adds up to', () => {
    const perAddress = 1 + ADDRESS_ELEMENTS.length
    expect(XML_LIMITS.elementsPerCustomer).toBe(1 + CUSTOMER_ELEMENTS.length + CUSTOMER_CONTAINERS.length + XML_LIMITS.addressesPerCustomer * perAddress + XML_LIMITS.consentsPerCustomer)
  })

  it('accepts the fullest customer the format allows (exactly elementsPerCustomer elements)', async () => {
    const doc = xmlDocument([FULLEST, customer('2')])
    expect(doc.slice(doc.indexOf('<customer '), doc.indexOf('<customer sourceId="2"')).match(/<(?![?!/])/g)).toHaveLength(XML_LIMITS.elementsPerCustomer)
    const seen: CanonicalCustomer[] = []
    const result = await verifyCustomerXml(await fileWith(doc), { onCustomer: (c) => void seen.push(c) })
    expect(result.errors).toEqual([])
    expect(seen[0]?.addresses).toHaveLength(XML_LIMITS.addressesPerCustomer)
    // and a file of exactly maxElements elements
    expect((await verifyCustomerXml(await fileWith(TWO), { maxElements: 31, maxCustomers: 2 })).errors).toEqual([])
  })

  it('a sourceId may have 100 characters (counted as characters), not 101', async () => {
    const at100 = await verifyCustomerXml(await fileWith(xmlDocument([customer('ż'.repeat(XML_LIMITS.sourceIdLength)), customer('2')])))
    expect(at100.errors).toEqual([])
    const doc = xmlDocument([customer('1'), customer('ż'.repeat(XML_LIMITS.sourceIdLength + 1))])
    const over = await verifyCustomerXml(await fileWith(doc))
    expect(over.errors.map((e) => e.code)).toEqual(['XML_VALUE_INVALID'])
    expect(over.errors[0]).toMatchObject(positionOf(doc, doc.lastIndexOf('<customer ')))
  })

  it.each(cases)('$tried → $code', async ({ tried, content, opts, code, at, last }) => {
    const rc = reliabilityCase('xml', tried)
    const started = Date.now()
    const result = verified(rc, await verifyCustomerXml(await fileWith(content), opts))
    expect(result.ok).toBe(false)
    const issue = last ? result.errors.at(-1) : result.errors[0]
    expect(issue).toMatchObject({ code })
    if (at >= 0) expect(issue).toMatchObject(positionOf(content, at))
    expect(insideFile(result, content)).toBe(true)
    expect(Date.now() - started).toBeLessThan(10_000)
  })

  it('the default size limit is XML_LIMITS.fileBytes (2 GiB), checked before reading, and is inclusive', async () => {
    const rc = reliabilityCase('xml', 'a file one byte over the default 2 GiB limit, and one at it')
    expect(XML_LIMITS.fileBytes).toBe(2 * 1024 ** 3)
    // sparse files: no disk is used
    const over = join(dir, 'sparse-over.xml')
    const exact = join(dir, 'sparse-exact.xml')
    for (const [path, size] of [[over, XML_LIMITS.fileBytes + 1], [exact, XML_LIMITS.fileBytes]] as const) {
      const fh = await open(path, 'w')
      await fh.truncate(size)
      await fh.close()
    }
    const tooBig = verified(rc, await verifyCustomerXml(over))
    expect(tooBig.errors).toEqual([expect.objectContaining({ code: 'XML_TOO_LARGE', line: 1, column: 1 })])
    // at the limit it is read, and rejected at its first (NUL) byte, not for its size
    const atLimit = verified(rc, await verifyCustomerXml(exact))
    expect(atLimit.errors).toEqual([expect.objectContaining({ code: 'XML_MALFORMED', line: 1, column: 1 })])
    await rm(over)
    await rm(exact)
  })

  it('a configured maxBytes also stops a file that grows while it is read', async () => {
    const rc = reliabilityCase('xml', 'a file over a configured maxBytes')
    const result = verified(rc, await verifyCustomerXml(await fileWith(THREE), { maxBytes: THREE.length - 1 }))
    expect(result.errors).toEqual([expect.objectContaining({ code: 'XML_TOO_LARGE', line: 1, column: 1 })])
    expect((await verifyCustomerXml(await fileWith(THREE), { maxBytes: Buffer.byteLength(THREE) })).errors).toEqual([])
  })
})

describe('reliability: a bare "&" is reported where it stands, not at the end of the file', () => {
  const ONE = xmlDocument([customer('1'), customer('2')])
  /** the first chunk boundary falls `offset` characters after the "&" at `index` (all ASCII before it) */
  const atChunkEnd = (doc: string, index: number, offset: number) => {
    const pad = 256 * 1024 - index - offset - '<!---->'.length
    return doc.slice(0, doc.indexOf('  <customer ')) + `<!--${'x'.repeat(pad)}-->` + doc.slice(doc.indexOf('  <customer '))
  }
  const bare: Array<{ tried: string; content: string; needle: string }> = [
    { tried: 'a bare & in text ("Kowalski & Syn")', content: ONE.replace('<lastName>Kowalski', '<lastName>Kowalski & Syn'), needle: '& Syn' },
    { tried: 'a bare & glued to a word in text', content: ONE.replace('<lastName>Kowalski', '<lastName>Kowalski&Syn'), needle: '&Syn' },
    { tried: 'a bare & in an attribute value', content: ONE.replace('sourceId="2"', 'sourceId="2&3"'), needle: '&3' },
    { tried: 'a bare & in the root element\'s xmlns', content: ONE.replace('xmlns="', 'xmlns="&'), needle: '&urn' },
    { tried: 'a bare & after the root element', content: `${ONE}&\n`, needle: '&\n' },
    { tried: 'a reference without its ";"', content: ONE.replace('<lastName>Kowalski', '<lastName>Kowalski &amp Syn'), needle: '&amp Syn' },
  ]
  it.each(bare)('$tried → XML_MALFORMED at the "&"', async ({ tried, content, needle }) => {
    const rc = reliabilityCase('xml', tried)
    const result = verified(rc, await verifyCustomerXml(await fileWith(content)))
    expect(result.errors).toEqual([expect.objectContaining({ code: 'XML_MALFORMED', ...positionOf(content, content.indexOf(needle)) })])
  })

  it('a bare & whose following characters arrive in the next read chunk', async () => {
    const rc = reliabilityCase('xml', 'a bare & split across read chunks')
    for (const offset of [1, 2, 5]) {
      const doc = ONE.replace('<lastName>Kowalski', '<lastName>Kowalski &Syn and more')
      const content = atChunkEnd(doc, doc.indexOf('&Syn'), offset)
      expect(content.indexOf('&Syn')).toBe(256 * 1024 - offset)
      const result = verified(rc, await verifyCustomerXml(await fileWith(content)))
      expect(result.errors).toEqual([expect.objectContaining({ code: 'XML_MALFORMED', ...positionOf(content, content.indexOf('&Syn')) })])
    }
  })

  it('accepts "&" where it is only text: CDATA, comments, processing instructions, and references split across chunks', async () => {
    const doc = ONE.replace('<lastName>Kowalski', '<!-- R&D --><?note a & b?><lastName><![CDATA[Kowalski & Syn]]> &amp; &#38; &#x26; C&amp;A')
    const seen: CanonicalCustomer[] = []
    const result = await verifyCustomerXml(await fileWith(doc), { onCustomer: (c) => void seen.push(c) })
    expect(result.errors).toEqual([])
    expect(seen[0]?.lastName).toBe('Kowalski & Syn & & & C&A')
    for (const offset of [1, 2, 4, 5]) {
      const split = ONE.replace('<lastName>Kowalski', '<lastName>Kowalski &amp; Syn')
      const content = atChunkEnd(split, split.indexOf('&amp;'), offset)
      expect(content.indexOf('&amp;')).toBe(256 * 1024 - offset)
      const names: string[] = []
      const r = await verifyCustomerXml(await fileWith(content), { onCustomer: (c) => void names.push(c.lastName) })
      expect(r.errors).toEqual([])
      expect(names[0]).toBe('Kowalski & Syn')
    }
  })
})

describe('reliability: truncated and damaged files', () => {
  it('every prefix of a valid file, cut at each byte, is rejected with a position inside what is left', { timeout: 60_000 }, async () => {
    const rc = reliabilityCase('xml', 'a valid file truncated at every byte')
    const doc = Buffer.from(xmlDocument([customer('1', { lastName: 'Żółć', addresses: [address()], consents: consents(1) }), customer('2')]))
    const end = doc.lastIndexOf('</customers>') + '</customers>'.length
    const path = join(dir, 'prefix.xml')
    const codes = new Set<string>()
    for (let cut = 0; cut < end; cut++) {
      const prefix = doc.subarray(0, cut)
      await writeFile(path, prefix)
      const result = verified(rc, await verifyCustomerXml(path))
      expect(result.ok, `cut at byte ${cut}`).toBe(false)
      expect(insideFile(result, prefix), `cut at byte ${cut}: ${JSON.stringify(result.errors[0])}`).toBe(true)
      codes.add(result.errors[0]!.code)
    }
    expect([...codes].sort()).toEqual(['XML_EMPTY', 'XML_ENCODING', 'XML_TRUNCATED'])
  })

  it('random damage (bytes flipped, inserted, deleted, spliced markup) never throws and always names a position inside the file', { timeout: 60_000 }, async () => {
    // a damaged file may still be valid XML: it counts as rejected only when the verifier refused it
    const rc = reliabilityCase('xml', 'randomly damaged files: no throw, every issue inside the file')
    const base = Buffer.from(xmlDocument([customer('1', { firstName: 'Łucja', addresses: [address()], consents: consents(2) }), customer('2')]))
    const path = join(dir, 'fuzz.xml')
    const markup = ['<', '>', '&', '&#0;', '&#x110000;', ']]>', '<!DOCTYPE x>', '<!ENTITY a "b">', '&a;', '<![CDATA[', '-->', '<?', '"', "'", '\u0000', '\uFFFE', '</customer>', '<customer sourceId="9">']
    const edit = fc.oneof(
      fc.record({ kind: fc.constant('set' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
      fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.constantFrom(...markup) }),
      fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 40 }) }),
    )
    let runs = 0
    let rejected = 0
    await fc.assert(
      fc.asyncProperty(fc.array(edit, { minLength: 1, maxLength: 4 }), async (edits) => {
        let bytes = base
        for (const e of edits) {
          const at = e.at % (bytes.length + 1)
          if (e.kind === 'set' && at < bytes.length) bytes = Buffer.concat([bytes.subarray(0, at), Buffer.from([e.byte]), bytes.subarray(at + 1)])
          else if (e.kind === 'insert') bytes = Buffer.concat([bytes.subarray(0, at), Buffer.from(e.text), bytes.subarray(at)])
          else if (e.kind === 'delete') bytes = Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + e.length)])
        }
        await writeFile(path, bytes)
        const result = verified(rc, await verifyCustomerXml(path))
        runs++
        if (!result.ok) rejected++
        expect(result.ok).toBe(result.errors.length === 0)
        expect(insideFile(result, bytes)).toBe(true)
      }),
      // the first counterexample found: a lone CR, which ends a line in XML
      { numRuns: 1_000, examples: [[[{ kind: 'insert', at: 1_835_300_557, text: '&' }, { kind: 'set', at: 137_451, byte: 13 }]]] },
    )
    expect(rejected).toBeGreaterThan(runs / 2)
  })
})
