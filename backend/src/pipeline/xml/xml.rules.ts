/**
 * The element-level rules of the migration XML, fed by saxes events: which elements and attributes
 * may appear where, required ones, values, limits and duplicates. Builds a CanonicalCustomer for
 * each structurally valid <customer>; the driver (xml.verifier.ts) handles bytes, limits and order.
 */
import {
  ADDRESS_ATTRIBUTES,
  ADDRESS_ATTRIBUTE_FIELDS,
  ADDRESS_ELEMENTS,
  CONSENT_ATTRIBUTES,
  CUSTOMER_CONTAINERS,
  CUSTOMER_ELEMENTS,
  Consent,
  PLATFORM_IDS,
  XML_FORMAT_VERSION,
  XML_LIMITS,
  XML_NAMESPACE,
  XML_ROOT,
  XML_ROOT_ATTRIBUTES,
  type Address,
  type CanonicalCustomer,
  type ElementDef,
  type XmlIssueCode,
} from '@cm/contracts'
import type { IssueList, XmlPosition } from './xml.issues.ts'

export type XmlFileHeader = { version: string; platform: string; domain: string; generatedAt: string; count: number | null }
export type ReadyCustomer = { customer: CanonicalCustomer; position: XmlPosition }
/** Limits of the whole file that the caller may configure (defaults in XML_LIMITS). */
export type XmlCountLimits = { elements: number; customers: number }
type Attributes = Record<string, string>

const CUSTOMER_DEFS = new Map<string, ElementDef<string>>(CUSTOMER_ELEMENTS.map((d) => [d.name, d]))
const ADDRESS_DEFS = new Map<string, ElementDef<string>>(ADDRESS_ELEMENTS.map((d) => [d.name, d]))
const CONTAINERS: readonly string[] = CUSTOMER_CONTAINERS
const CHANNELS: readonly string[] = Consent.shape.channel.options
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/

type Fields = Record<string, string | boolean>
type Frame =
  | { kind: 'root' | 'customer' | 'addresses' | 'consents' | 'consent' | 'skip' }
  | { kind: 'address'; fields: Fields; seen: Set<string>; at: XmlPosition }
  | { kind: 'leaf'; def: ElementDef<string>; at: XmlPosition; owner: Fields }

type CustomerDraft = {
  at: XmlPosition
  valid: boolean
  sourceId: string
  fields: Fields
  seen: Set<string>
  addresses: Address[]
  consents: Consent[]
  addressElements: number
  consentElements: number
  /** every element inside the customer, itself included */
  elements: number
}

/** an absent boolean element (only <active>) reads as true: a source without the flag has active accounts */
function defaults(defs: readonly ElementDef<string>[]): Fields {
  return Object.fromEntries(defs.map((d) => [d.name, d.kind === 'boolean' ? true : '']))
}

/** Length in Unicode characters, cheap when the UTF-16 length already settles it. */
function tooLong(s: string): boolean {
  return s.length > XML_LIMITS.textLength && [...s].length > XML_LIMITS.textLength
}

export class CustomerXmlRules {
  header: XmlFileHeader | undefined
  rootAt: XmlPosition = { line: 1, column: 1 }
  /** <customer> elements seen, valid or not (what the count attribute must match) */
  customers = 0
  /** every element seen, the root included */
  elements = 0
  readonly ready: ReadyCustomer[] = []

  private readonly stack: Frame[] = []
  private cur: CustomerDraft | null = null
  private text = ''
  private textOverflow = false

  constructor(
    private readonly issues: IssueList,
    /** true when the id was seen before; records it otherwise */
    private readonly seenSourceId: (id: string) => boolean,
    private readonly collect: boolean,
    private readonly limits: XmlCountLimits = { elements: XML_LIMITS.elements, customers: XML_LIMITS.customers },
  ) {}

  /** Any problem inside a customer disqualifies that customer from onCustomer. */
  private issue(code: XmlIssueCode, at: XmlPosition, message: string): void {
    if (this.cur) this.cur.valid = false
    this.issues.add(code, at, message)
  }

  open(name: string, attrs: Attributes, at: XmlPosition): void {
    if (++this.elements > this.limits.elements) {
      this.issues.fatal('XML_TOO_MANY', at, `The file holds more than ${this.limits.elements} elements`)
    }
    if (this.cur && ++this.cur.elements > XML_LIMITS.elementsPerCustomer) {
      const { line, column } = this.cur.at
      this.issues.fatal('XML_TOO_MANY', at, `The customer at line ${line}, column ${column} holds more than ${XML_LIMITS.elementsPerCustomer} elements`)
    }
    if (this.stack.length > XML_LIMITS.maxDepth) {
      this.issues.fatal('XML_TOO_DEEP', at, `<${name}> is nested deeper than the format allows (${XML_LIMITS.maxDepth} levels below the root)`)
    }
    const top = this.stack.at(-1)
    this.text = ''
    this.textOverflow = false
    if (!top) return this.openRoot(name, attrs, at)
    switch (top.kind) {
      case 'skip':
        return this.push({ kind: 'skip' })
      case 'root':
        if (name === 'customer') return this.openCustomer(attrs, at)
        break
      case 'customer':
        if (this.cur) return this.openInCustomer(this.cur, name, attrs, at)
        break
      case 'addresses':
        if (name === 'address') return this.openAddress(attrs, at)
        break
      case 'consents':
        if (name === 'consent') return this.openConsent(attrs, at)
        break
      case 'address':
        return this.openField(ADDRESS_DEFS, top.fields, top.seen, 'address', name, attrs, at)
    }
    this.unknownElement(name, top.kind === 'leaf' ? top.def.name : top.kind, at)
  }

  onText(text: string, at: XmlPosition): void {
    const top = this.stack.at(-1)
    if (!top || top.kind === 'skip') return
    if (top.kind === 'leaf') {
      if (this.textOverflow) return
      this.text += text
      // keep at most what can still be within the limit; the rest would only cost memory
      if (this.text.length > 2 * XML_LIMITS.textLength) this.textOverflow = true
      return
    }
    if (/\S/.test(text)) this.issue('XML_VALUE_INVALID', at, `Text is not allowed directly inside <${top.kind === 'root' ? XML_ROOT : top.kind}>`)
  }

  close(): void {
    const top = this.stack.pop()
    if (!top) return
    switch (top.kind) {
      case 'leaf':
        return this.closeField(top)
      case 'address':
        return this.closeAddress(top)
      case 'customer':
        return this.closeCustomer()
    }
  }

  private push(frame: Frame): void {
    this.stack.push(frame)
  }

  private unknownElement(name: string, parent: string, at: XmlPosition): void {
    this.issue('XML_UNKNOWN_ELEMENT', at, `Unknown element <${name}> inside <${parent}>`)
    this.push({ kind: 'skip' })
  }

  /** Reports attributes outside `allowed`, and allowed ones over the text limit. */
  private checkAttributes(element: string, attrs: Attributes, allowed: readonly string[], at: XmlPosition): void {
    for (const name of Object.keys(attrs)) {
      if (!allowed.includes(name)) this.issue('XML_UNKNOWN_ATTRIBUTE', at, `Unknown attribute ${name} on <${element}>`)
      else if (tooLong(attrs[name] ?? '')) this.issue('XML_TEXT_TOO_LONG', at, `Attribute ${name} on <${element}> is longer than ${XML_LIMITS.textLength} characters`)
    }
  }

  private requireAttribute(element: string, attrs: Attributes, name: string, at: XmlPosition): string | undefined {
    const value = attrs[name]
    if (value === undefined) this.issue('XML_ATTRIBUTE_MISSING', at, `<${element}> lacks the ${name} attribute`)
    return value
  }

  private booleanAttribute(element: string, attrs: Attributes, name: string, at: XmlPosition): boolean {
    const value = this.requireAttribute(element, attrs, name, at)
    if (value === undefined) return false
    if (value !== 'true' && value !== 'false') this.issue('XML_VALUE_INVALID', at, `${name} on <${element}> must be "true" or "false", not "${value}"`)
    return value === 'true'
  }

  private openRoot(name: string, attrs: Attributes, at: XmlPosition): void {
    this.rootAt = at
    if (name !== XML_ROOT) this.issues.fatal('XML_UNKNOWN_ROOT', at, `The root element must be <${XML_ROOT}>, not <${name}>`)
    if (attrs.xmlns !== XML_NAMESPACE) {
      this.issues.fatal('XML_UNKNOWN_ROOT', at, `The root element must declare xmlns="${XML_NAMESPACE}"`)
    }
    const { version = '', platform = '', domain = '', generatedAt = '', count } = attrs
    const countOk = count !== undefined && /^\d{1,15}$/.test(count)
    this.header = { version, platform, domain, generatedAt, count: countOk ? Number(count) : null }
    // another version may mean anything, so nothing else about it is worth reporting
    if (attrs.version !== undefined && version !== XML_FORMAT_VERSION) {
      this.issues.fatal('XML_UNKNOWN_VERSION', at, `Unknown format version "${version}"; this module reads version ${XML_FORMAT_VERSION}`)
    }
    this.push({ kind: 'root' })
    this.checkAttributes(XML_ROOT, attrs, ['xmlns', ...XML_ROOT_ATTRIBUTES], at)
    for (const attr of XML_ROOT_ATTRIBUTES) {
      if (attrs[attr] === undefined) this.issue('XML_ROOT_ATTRIBUTE_MISSING', at, `The root element lacks the ${attr} attribute`)
    }
    if (count !== undefined && !countOk) this.issue('XML_VALUE_INVALID', at, `count must be a whole number, not "${count}"`)
    if (attrs.platform !== undefined && !(PLATFORM_IDS as readonly string[]).includes(platform)) {
      this.issue('XML_VALUE_INVALID', at, `Unknown platform "${platform}"`)
    }
    if (attrs.domain !== undefined && !/^https?:\/\/[^\s/]+/i.test(domain)) {
      this.issue('XML_VALUE_INVALID', at, `domain must be an http(s) address, not "${domain}"`)
    }
    if (attrs.generatedAt !== undefined && !(ISO_DATE_TIME.test(generatedAt) && !Number.isNaN(Date.parse(generatedAt)))) {
      this.issue('XML_VALUE_INVALID', at, `generatedAt must be an ISO 8601 date-time, not "${generatedAt}"`)
    }
  }

  private openCustomer(attrs: Attributes, at: XmlPosition): void {
    if (++this.customers > this.limits.customers) {
      this.issues.fatal('XML_TOO_MANY', at, `The file holds more than ${this.limits.customers} customers`)
    }
    const cur: CustomerDraft = {
      at,
      valid: true,
      sourceId: '',
      fields: defaults(CUSTOMER_ELEMENTS),
      seen: new Set(),
      addresses: [],
      consents: [],
      addressElements: 0,
      consentElements: 0,
      elements: 1,
    }
    this.cur = cur
    this.push({ kind: 'customer' })
    this.checkAttributes('customer', attrs, ['sourceId'], at)
    const id = this.requireAttribute('customer', attrs, 'sourceId', at)
    if (id === undefined) return
    cur.sourceId = id
    if (id.trim() === '') this.issue('XML_VALUE_INVALID', at, 'sourceId must not be empty')
    else if ([...id].length > XML_LIMITS.sourceIdLength) this.issue('XML_VALUE_INVALID', at, `sourceId is longer than ${XML_LIMITS.sourceIdLength} characters`)
    else if (this.seenSourceId(id)) this.issue('XML_DUPLICATE_SOURCE_ID', at, `sourceId "${id}" appears more than once`)
  }

  private openInCustomer(cur: CustomerDraft, name: string, attrs: Attributes, at: XmlPosition): void {
    if (!CONTAINERS.includes(name)) return this.openField(CUSTOMER_DEFS, cur.fields, cur.seen, 'customer', name, attrs, at)
    if (cur.seen.has(name)) {
      this.issue('XML_DUPLICATE_ELEMENT', at, `<${name}> appears more than once in a customer`)
      return this.push({ kind: 'skip' })
    }
    cur.seen.add(name)
    this.checkAttributes(name, attrs, [], at)
    this.push({ kind: name === 'addresses' ? 'addresses' : 'consents' })
  }

  private openField(defs: Map<string, ElementDef<string>>, owner: Fields, seen: Set<string>, parent: string, name: string, attrs: Attributes, at: XmlPosition): void {
    const def = defs.get(name)
    if (!def) return this.unknownElement(name, parent, at)
    if (seen.has(name)) {
      this.issue('XML_DUPLICATE_ELEMENT', at, `<${name}> appears more than once in <${parent}>`)
      return this.push({ kind: 'skip' })
    }
    seen.add(name)
    this.checkAttributes(name, attrs, [], at)
    this.push({ kind: 'leaf', def, at, owner })
  }

  private openAddress(attrs: Attributes, at: XmlPosition): void {
    const cur = this.cur
    if (cur && ++cur.addressElements > XML_LIMITS.addressesPerCustomer) {
      if (cur.addressElements === XML_LIMITS.addressesPerCustomer + 1) {
        this.issue('XML_TOO_MANY', at, `A customer may have at most ${XML_LIMITS.addressesPerCustomer} addresses`)
      }
      return this.push({ kind: 'skip' })
    }
    this.checkAttributes('address', attrs, ADDRESS_ATTRIBUTES, at)
    const fields = defaults(ADDRESS_ELEMENTS)
    for (const attr of ADDRESS_ATTRIBUTES) fields[ADDRESS_ATTRIBUTE_FIELDS[attr]] = this.booleanAttribute('address', attrs, attr, at)
    this.push({ kind: 'address', fields, seen: new Set(), at })
  }

  private openConsent(attrs: Attributes, at: XmlPosition): void {
    this.push({ kind: 'consent' })
    const cur = this.cur
    if (cur && ++cur.consentElements > XML_LIMITS.consentsPerCustomer) {
      if (cur.consentElements === XML_LIMITS.consentsPerCustomer + 1) {
        this.issue('XML_TOO_MANY', at, `A customer may have at most ${XML_LIMITS.consentsPerCustomer} consents`)
      }
      return
    }
    this.checkAttributes('consent', attrs, CONSENT_ATTRIBUTES, at)
    const channel = this.requireAttribute('consent', attrs, 'channel', at)
    if (channel !== undefined && !CHANNELS.includes(channel)) {
      this.issue('XML_VALUE_INVALID', at, `consent channel must be one of ${CHANNELS.join(', ')}, not "${channel}"`)
    }
    const granted = this.booleanAttribute('consent', attrs, 'granted', at)
    const date = attrs.date ? attrs.date : null
    if (cur?.valid) cur.consents.push({ channel: channel as Consent['channel'], granted, date })
  }

  private closeField(frame: Extract<Frame, { kind: 'leaf' }>): void {
    const { def, at, owner } = frame
    const text = this.text
    this.text = ''
    if (this.textOverflow || tooLong(text)) {
      return this.issue('XML_TEXT_TOO_LONG', at, `<${def.name}> is longer than ${XML_LIMITS.textLength} characters`)
    }
    if (def.kind === 'text') owner[def.name] = text
    else if (text.trim() === 'true' || text.trim() === 'false') owner[def.name] = text.trim() === 'true'
    else this.issue('XML_VALUE_INVALID', at, `<${def.name}> must be "true" or "false", not "${text.slice(0, 50)}"`)
  }

  private missing(defs: readonly ElementDef<string>[], seen: Set<string>, parent: string, at: XmlPosition): void {
    for (const def of defs) {
      if (def.required && !seen.has(def.name)) this.issue('XML_ELEMENT_MISSING', at, `<${parent}> lacks the required <${def.name}>`)
    }
  }

  private closeAddress(frame: Extract<Frame, { kind: 'address' }>): void {
    this.missing(ADDRESS_ELEMENTS, frame.seen, 'address', frame.at)
    if (this.cur?.valid) this.cur.addresses.push(frame.fields as unknown as Address)
  }

  private closeCustomer(): void {
    const cur = this.cur
    if (!cur) return
    this.missing(CUSTOMER_ELEMENTS, cur.seen, 'customer', cur.at)
    for (const name of CONTAINERS) {
      if (!cur.seen.has(name)) this.issue('XML_ELEMENT_MISSING', cur.at, `<customer> lacks the required <${name}>`)
    }
    this.cur = null
    if (!cur.valid || !this.collect) return
    const customer = { sourceId: cur.sourceId, ...cur.fields, addresses: cur.addresses, consents: cur.consents }
    this.ready.push({ customer: customer as CanonicalCustomer, position: cur.at })
  }
}
