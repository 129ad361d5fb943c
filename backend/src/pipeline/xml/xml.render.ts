/** Renders the migration XML's pieces as text: the header with its patchable slots, and one customer. */
import {
  ADDRESS_ATTRIBUTE_FIELDS,
  ADDRESS_ELEMENTS,
  CUSTOMER_ELEMENTS,
  XML_FORMAT_VERSION,
  XML_NAMESPACE,
  XML_ROOT,
  type CanonicalCustomer,
} from '@cm/contracts'
import { escapeAttr, escapeText } from './xml.escape.ts'

export type XmlWriterHeader = { platform: string; domain: string; generatedAt: string }

/** `"<digits>"` padded with spaces; whitespace before `>` is legal, so the count can be patched in place. */
export const COUNT_SLOT_WIDTH = 18
/** `"YYYY-MM-DDTHH:mm:ss.sssZ"`: toISOString() is always 24 characters for years 0–9999. */
export const GENERATED_AT_SLOT_WIDTH = 26
/** What sits between the generatedAt slot and the count slot; fixed, so one offset locates both. */
export const COUNT_LABEL = ' count='

export function countSlot(count: number): string {
  const slot = `"${count}"`
  if (!Number.isSafeInteger(count) || count < 0 || slot.length > COUNT_SLOT_WIDTH) {
    throw new RangeError(`count ${count} does not fit the header slot`)
  }
  return slot.padEnd(COUNT_SLOT_WIDTH, ' ')
}

export function generatedAtSlot(iso: string): string {
  const date = new Date(iso)
  const fixed = Number.isNaN(date.getTime()) ? '' : date.toISOString()
  if (fixed.length !== GENERATED_AT_SLOT_WIDTH - 2) throw new RangeError(`generatedAt "${iso}" is not a usable date`)
  return `"${fixed}"`
}

/** The header up to and including the root's start tag; countSlotOffset is a byte offset. */
export function renderHeader(header: XmlWriterHeader): { text: string; countSlotOffset: number } {
  const beforeCount =
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<${XML_ROOT} xmlns="${XML_NAMESPACE}" version="${XML_FORMAT_VERSION}"` +
    ` platform="${escapeAttr(header.platform)}" domain="${escapeAttr(header.domain)}"` +
    ` generatedAt=${generatedAtSlot(header.generatedAt)}${COUNT_LABEL}`
  return { text: `${beforeCount}${countSlot(0)}>\n`, countSlotOffset: Buffer.byteLength(beforeCount) }
}

export const FOOTER = `</${XML_ROOT}>\n`

function leaf(indent: string, name: string, value: string | boolean): string {
  const text = typeof value === 'boolean' ? String(value) : escapeText(value)
  return text === '' ? `${indent}<${name}/>\n` : `${indent}<${name}>${text}</${name}>\n`
}

/** One <customer> with every element in the contract's order (empty ones included), pretty-printed. */
export function renderCustomer(c: CanonicalCustomer): string {
  let out = `  <customer sourceId="${escapeAttr(c.sourceId)}">\n`
  for (const el of CUSTOMER_ELEMENTS) out += leaf('    ', el.name, c[el.name])
  if (c.addresses.length === 0) out += '    <addresses/>\n'
  else {
    out += '    <addresses>\n'
    for (const a of c.addresses) {
      out += `      <address billing="${a[ADDRESS_ATTRIBUTE_FIELDS.billing]}" shipping="${a[ADDRESS_ATTRIBUTE_FIELDS.shipping]}">\n`
      for (const el of ADDRESS_ELEMENTS) out += leaf('        ', el.name, a[el.name])
      out += '      </address>\n'
    }
    out += '    </addresses>\n'
  }
  if (c.consents.length === 0) out += '    <consents/>\n'
  else {
    out += '    <consents>\n'
    for (const k of c.consents) {
      out += `      <consent channel="${escapeAttr(k.channel)}" granted="${k.granted}" date="${escapeAttr(k.date ?? '')}"/>\n`
    }
    out += '    </consents>\n'
  }
  return `${out}  </customer>\n`
}
