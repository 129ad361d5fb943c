/**
 * Verifies a migration XML file by streaming it, so memory stays flat whatever its size:
 * strict UTF-8, well-formedness, no DTD and no entities (saxes never expands them; we also
 * refuse to read past a DOCTYPE), then the format's own rules (xml.rules.ts), within limits on
 * size, depth, elements, customers and unbroken text. Only the sourceId set grows with the file.
 * Every issue names a line and column; the UI translates issues by code.
 */
import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { SaxesParser } from 'saxes'
import { XML_LIMITS, type CanonicalCustomer, type VerificationIssue, type XmlIssueCode } from '@cm/contracts'
import { IssueList, StopParsing, type XmlPosition } from './xml.issues.ts'
import { CustomerXmlRules, type XmlFileHeader } from './xml.rules.ts'
import { SourceIdSet } from './xml.idset.ts'
import { StrictUtf8Decoder } from './xml.utf8.ts'

export type { XmlFileHeader, XmlPosition }

export type VerifyXmlOptions = {
  /** default XML_LIMITS.fileBytes */
  maxBytes?: number
  /** most elements in the file, the root included; default XML_LIMITS.elements */
  maxElements?: number
  /** most <customer> elements in the file; default XML_LIMITS.customers */
  maxCustomers?: number
  /** called, in file order, for each structurally valid customer; a returned promise is awaited before reading on */
  onCustomer?: (customer: CanonicalCustomer, position: XmlPosition) => void | Promise<void>
  signal?: AbortSignal
  /** stop after this many issues (default 50) */
  maxIssues?: number
  /**
   * Returns true when the id was seen before, and remembers it otherwise. The default keeps a
   * compact SourceIdSet, the one thing that grows with the file: its UTF-8 bytes plus ~24 bytes
   * per id (~40 MB for a million 12-character ids), bounded by maxCustomers.
   */
  seenSourceId?: (id: string) => boolean
}

export type VerifyXmlResult = {
  ok: boolean
  errors: VerificationIssue[]
  /** <customer> elements read, valid or not */
  customers: number
  header?: XmlFileHeader
}

const CHUNK_BYTES = 256 * 1024
/** Most characters saxes may buffer without an event (one text, tag or comment); far above any valid field. */
const MAX_UNBROKEN_RUN = XML_LIMITS.textLength * 100
const DOCTYPE = '<!DOCTYPE'
/**
 * A well-formed reference after "&", judged within REFERENCE_WINDOW characters. saxes reads any
 * other "&" as the start of a name and keeps reading to the next ";", however far: a bare "&"
 * (the commonest hand-written mistake) was reported at the end of the file, as a truncation.
 */
const REFERENCE = /^&(?:#[0-9]{1,70}|#x[0-9A-Fa-f]{1,70}|[\p{L}_:][\p{L}\p{N}._:\-\u00B7]{0,70});/u
/** what could still become a reference once more text arrives */
const PARTIAL_REFERENCE = /^&(?:#[0-9]*|#x[0-9A-Fa-f]*|[\p{L}_:][\p{L}\p{N}._:\-\u00B7]*)?$/u
const REFERENCE_WINDOW = 80
/** saxes 6.0.0's internal state while it reads a reference (S_ENTITY); xml.limits.test.ts pins it */
const SAXES_S_ENTITY = 14
const START: XmlPosition = { line: 1, column: 1 }

/** What the reader hands element events to: the format's rules, or nothing at all (syntax only). */
type ElementSink = Pick<CustomerXmlRules, 'open' | 'close' | 'onText' | 'ready' | 'header' | 'customers' | 'rootAt'>

export async function verifyCustomerXml(path: string, opts: VerifyXmlOptions = {}): Promise<VerifyXmlResult> {
  opts.signal?.throwIfAborted()
  const issues = new IssueList(opts.maxIssues ?? 50)
  const ids = opts.seenSourceId ? null : new SourceIdSet()
  const seenSourceId = opts.seenSourceId ?? ((id: string) => ids!.seen(id))
  const limits = { elements: opts.maxElements ?? XML_LIMITS.elements, customers: opts.maxCustomers ?? XML_LIMITS.customers }
  const rules = new CustomerXmlRules(issues, seenSourceId, opts.onCustomer !== undefined, limits)
  return run(path, rules, issues, opts)
}

/**
 * Only the byte and syntax layers of verifyCustomerXml: size, strict UTF-8, no DOCTYPE, no
 * undeclared entities, well-formed XML 1.0, with any root and any elements. It accepts nothing
 * on its own (the format's rules decide that); it exists so tests can measure the parser alone,
 * e.g. against the W3C conformance suite, without the root check hiding what saxes lets through.
 */
export async function verifyXmlSyntax(path: string, opts: Pick<VerifyXmlOptions, 'maxBytes' | 'maxIssues' | 'signal'> = {}): Promise<VerifyXmlResult> {
  opts.signal?.throwIfAborted()
  const issues = new IssueList(opts.maxIssues ?? 50)
  const sink: ElementSink = { open() {}, close() {}, onText() {}, ready: [], header: undefined, customers: 0, rootAt: START }
  return run(path, sink, issues, opts)
}

async function run(path: string, rules: ElementSink, issues: IssueList, opts: VerifyXmlOptions): Promise<VerifyXmlResult> {
  const maxBytes = opts.maxBytes ?? XML_LIMITS.fileBytes
  try {
    const { size } = await stat(path)
    if (size === 0) issues.fatal('XML_EMPTY', START, 'The file is empty')
    if (size > maxBytes) issues.fatal('XML_TOO_LARGE', START, `The file is larger than the allowed ${maxBytes} bytes`)
    await read(path, maxBytes, rules, issues, opts)
  } catch (e) {
    if (!(e instanceof StopParsing)) throw e
  }
  return {
    ok: !issues.failed,
    errors: issues.list,
    customers: rules.customers,
    ...(rules.header ? { header: rules.header } : {}),
  }
}

async function read(path: string, maxBytes: number, rules: ElementSink, issues: IssueList, opts: VerifyXmlOptions): Promise<void> {
  const parser = new SaxesParser({ xmlns: false, forceXMLVersion: true, defaultXMLVersion: '1.0' })
  let sawRoot = false
  let closing = false
  let lastEventAt = 0
  /** characters handed to saxes; its own `position` is only right inside handlers */
  let fed = 0
  let tagAt = START
  let prologTail = ''
  let started = false
  /** the tail of the last text, from an "&" that might still turn into a reference */
  let heldBack = ''

  // saxes' line is 1-based; its column counts characters consumed on the line, i.e. the 1-based
  // column of the character just read, so `here` is where a problem was noticed, `next` what follows.
  const here = (): XmlPosition => ({ line: parser.line, column: Math.max(1, parser.column) })
  const next = (): XmlPosition => ({ line: parser.line, column: parser.column + 1 })
  const mark = (): void => {
    lastEventAt = parser.position
  }

  parser.on('error', (err) => {
    const [code, message] = saxesIssue(err.message.replace(/^\d+:\d+: /, ''), closing)
    issues.fatal(code, code === 'XML_EMPTY' ? START : here(), message)
  })
  // Seven handlers at most: each is a new property on the parser, and past 52 V8 turns it into a
  // slow dictionary object (6x slower). Comments and processing instructions are inert and ignored.
  parser.on('doctype', () => issues.fatal('XML_DOCTYPE_FORBIDDEN', here(), 'DOCTYPE declarations are not allowed'))
  parser.on('opentagstart', (tag) => {
    mark()
    if (!sawRoot) checkDeclaration(parser.xmlDecl.encoding, issues)
    sawRoot = true
    // the name and one following character have been read; a newline there hides the column
    const column = parser.column - tag.name.length - 1
    tagAt = column >= 1 ? { line: parser.line, column } : { line: parser.line - 1, column: 1 }
  })
  parser.on('opentag', (tag) => {
    mark()
    rules.open(tag.name, tag.attributes, tagAt)
  })
  parser.on('closetag', () => {
    mark()
    rules.close()
  })
  parser.on('text', (text) => {
    mark()
    rules.onText(text, here())
  })
  parser.on('cdata', (text) => {
    mark()
    rules.onText(text, here())
  })

  /** Writes to saxes, stopping at an "&" that starts no reference where saxes would read one. */
  const writeChecked = (text: string, last: boolean): void => {
    const s = heldBack + text
    heldBack = ''
    let from = 0
    for (let amp = s.indexOf('&'); amp >= 0; amp = s.indexOf('&', amp + 1)) {
      const window = s.slice(amp, amp + REFERENCE_WINDOW)
      if (REFERENCE.test(window)) continue
      if (!last && window.length < REFERENCE_WINDOW && PARTIAL_REFERENCE.test(window)) {
        // saxes must have read what comes before to say whether the root has started
        if (amp > from) parser.write(s.slice(from, amp))
        from = amp
        if (sawRoot) {
          heldBack = window
          break
        }
      }
      parser.write(s.slice(from, amp + 1))
      from = amp + 1
      if ((parser as unknown as { state: number }).state === SAXES_S_ENTITY) {
        issues.fatal('XML_MALFORMED', here(), 'A "&" must start a reference such as &amp; &lt; &gt; &quot; &apos; or &#243;; write a literal "&" as &amp;')
      }
    }
    const upTo = s.length - heldBack.length
    if (upTo > from) parser.write(s.slice(from, upTo))
  }

  const feed = (text: string, last: boolean): void => {
    if (!started) {
      // JSON, CSV and the like fail here, at their first character, rather than wherever saxes would notice
      const first = /\S/.exec(text)
      if (first) {
        started = true
        if (first[0] !== '<') {
          parser.write(text.slice(0, first.index))
          issues.fatal('XML_MALFORMED', next(), `The file is not XML: it starts with "${first[0]}" instead of markup`)
        }
      }
    }
    if (!sawRoot) {
      // stop at a DOCTYPE before saxes buffers its (possibly huge) internal subset
      const joined = prologTail + text
      const found = joined.indexOf(DOCTYPE)
      if (found >= 0) {
        const inText = found - prologTail.length
        if (inText > 0) parser.write(text.slice(0, inText))
        const at = { line: parser.line, column: parser.column + 1 + Math.min(inText, 0) }
        issues.fatal('XML_DOCTYPE_FORBIDDEN', at, 'DOCTYPE declarations are not allowed')
      }
      prologTail = joined.slice(-(DOCTYPE.length - 1))
    }
    writeChecked(text, last)
    fed += text.length
    if (fed - lastEventAt > MAX_UNBROKEN_RUN) {
      issues.fatal('XML_TEXT_TOO_LONG', here(), `More than ${MAX_UNBROKEN_RUN} characters without markup`)
    }
  }

  const drain = async (): Promise<void> => {
    for (const { customer, position } of rules.ready.splice(0)) {
      opts.signal?.throwIfAborted()
      await opts.onCustomer?.(customer, position)
    }
  }

  const decoder = new StrictUtf8Decoder()
  const stream = createReadStream(path, { highWaterMark: CHUNK_BYTES, ...(opts.signal ? { signal: opts.signal } : {}) })
  let bytes = 0
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      bytes += chunk.length
      // the file may have grown since stat()
      if (bytes > maxBytes) issues.fatal('XML_TOO_LARGE', next(), `The file is larger than the allowed ${maxBytes} bytes`)
      const { text, broken } = decoder.decode(chunk)
      feed(text, broken)
      if (broken) issues.fatal('XML_ENCODING', next(), 'The file is not valid UTF-8 here')
      await drain()
    }
    const { text, broken } = decoder.end()
    feed(text, true)
    if (broken) issues.fatal('XML_ENCODING', next(), 'The file ends inside a UTF-8 character')
    closing = true
    parser.close()
    await drain()
  } finally {
    stream.destroy()
  }
  const declared = rules.header?.count
  if (declared != null && declared !== rules.customers) {
    issues.add('XML_COUNT_MISMATCH', rules.rootAt, `The root says count="${declared}" but the file holds ${rules.customers} customers`)
  }
}

function checkDeclaration(encoding: string | undefined, issues: IssueList): void {
  if (encoding !== undefined && !/^utf-?8$/i.test(encoding)) {
    issues.fatal('XML_ENCODING', START, `The file must be UTF-8, but declares encoding "${encoding}"`)
  }
}

function saxesIssue(message: string, closing: boolean): [XmlIssueCode, string] {
  if (message.startsWith('undefined entity')) {
    return ['XML_ENTITY_FORBIDDEN', 'Only the predefined entities (&amp; &lt; &gt; &quot; &apos;) and character references are allowed']
  }
  if (/doctype/i.test(message)) return ['XML_DOCTYPE_FORBIDDEN', 'DOCTYPE declarations are not allowed']
  if (closing && message.startsWith('document must contain a root')) return ['XML_EMPTY', 'The file contains no XML root element']
  if (closing && /^(unclosed tag|unexpected end)/.test(message)) {
    return ['XML_TRUNCATED', `The file ends before the XML is complete (${message})`]
  }
  return ['XML_MALFORMED', `The file is not well-formed XML: ${message}`]
}
