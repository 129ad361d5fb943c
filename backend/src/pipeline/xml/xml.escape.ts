/** Escaping for the migration XML: the only way the writer puts source text into markup. */

/** Everything outside XML 1.0's Char production (control chars, lone surrogates, U+FFFE/U+FFFF). */
const NOT_XML_CHAR = /[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu

const TEXT_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  // parsers turn a raw CR into LF; a reference survives
  '\r': '&#13;',
}
const ATTR_ESCAPES: Record<string, string> = {
  ...TEXT_ESCAPES,
  '"': '&quot;',
  // attribute values have whitespace normalised to spaces unless written as references
  '\t': '&#9;',
  '\n': '&#10;',
}

/** Drops characters XML 1.0 cannot carry at all (not even as references), so the file stays well-formed. */
export function xmlSafe(s: string): string {
  return s.replace(NOT_XML_CHAR, '')
}

export function escapeText(s: string): string {
  return xmlSafe(s).replace(/[&<>\r]/g, (c) => TEXT_ESCAPES[c] ?? c)
}

export function escapeAttr(s: string): string {
  return xmlSafe(s).replace(/[&<>"\t\n\r]/g, (c) => ATTR_ESCAPES[c] ?? c)
}
