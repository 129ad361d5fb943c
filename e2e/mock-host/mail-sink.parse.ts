/**
 * What the outbox keeps of a received mail, read straight from the message: the panel sends
 * single-part text/plain UTF-8 mails (7bit, quoted-printable or base64 body; RFC 2047 subject),
 * and reading those by hand costs a fraction of a full MIME parse. Anything else (multipart,
 * HTML, another charset or encoding) goes to mailparser, which gives the same fields.
 */
import { simpleParser } from 'mailparser'

export interface ParsedMail {
  subject: string
  text: string
  html: string | null
  messageId: string | null
  shopId: string | null
  templateId: string | null
}

const UTF8 = new Set(['utf-8', 'utf8', 'us-ascii', 'ascii'])

/** unfolded headers, names lower-cased; the first of a repeated header wins (as mailparser's get()) */
function readHeaders(block: string): Map<string, string> {
  const out = new Map<string, string>()
  let name = ''
  let value = ''
  const flush = () => {
    if (name && !out.has(name)) out.set(name, value.trim())
  }
  for (const line of block.split(/\r?\n/)) {
    if (line.startsWith(' ') || line.startsWith('\t')) {
      value += line
      continue
    }
    flush()
    const colon = line.indexOf(':')
    name = colon > 0 ? line.slice(0, colon).trim().toLowerCase() : ''
    value = colon > 0 ? line.slice(colon + 1) : ''
  }
  flush()
  return out
}

function qpBytes(s: string, underscoreIsSpace: boolean): Buffer {
  const out = Buffer.allocUnsafe(s.length)
  let n = 0
  for (let i = 0; i < s.length; i++) {
    const ch = s.charCodeAt(i)
    if (ch === 0x3d /* = */) {
      const hex = s.slice(i + 1, i + 3)
      if (/^[0-9A-Fa-f]{2}$/.test(hex)) {
        out[n++] = parseInt(hex, 16)
        i += 2
        continue
      }
    }
    out[n++] = underscoreIsSpace && ch === 0x5f /* _ */ ? 0x20 : ch & 0xff
  }
  return out.subarray(0, n)
}

const ENCODED_WORD = /=\?([^?]+)\?([QqBb])\?([^?]*)\?=/g

/** RFC 2047 words in UTF-8 (adjacent ones joined: a character may be split across two); null when another charset is used */
function decodeWords(value: string): string | null {
  if (!value.includes('=?')) return value
  let out = ''
  let bytes: Buffer[] = []
  let last = 0
  let ok = true
  value.replace(ENCODED_WORD, (word, charset: string, enc: string, text: string, at: number) => {
    if (!UTF8.has(charset.toLowerCase().split('*')[0]!)) ok = false
    const between = value.slice(last, at)
    // whitespace between two encoded words is not part of the text
    if (!(bytes.length && /^\s*$/.test(between))) {
      out += Buffer.concat(bytes).toString('utf8') + between
      bytes = []
    }
    bytes.push(enc.toUpperCase() === 'B' ? Buffer.from(text, 'base64') : qpBytes(text, true))
    last = at + word.length
    return word
  })
  if (!ok) return null
  return out + Buffer.concat(bytes).toString('utf8') + value.slice(last)
}

/** the body as the message carries it → text, lines ending in LF (as mailparser gives them) */
function decodeBody(body: string, encoding: string): string | null {
  if (encoding === '' || encoding === '7bit' || encoding === '8bit') return body.replace(/\r\n/g, '\n')
  if (encoding === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8').replace(/\r\n/g, '\n')
  // quoted-printable: a soft line break ("=" at a line's end) joins two lines
  if (encoding === 'quoted-printable') return qpBytes(body.replace(/[ \t]*\r?\n/g, '\n').replace(/=\n/g, ''), false).toString('utf8')
  return null
}

/** the hand-read fields, or null when the message is not the simple kind this reader knows */
export function parseSimpleMail(raw: Buffer): ParsedMail | null {
  const text = raw.toString('utf8')
  const blank = /\r?\n\r?\n/.exec(text)
  const headers = readHeaders(blank ? text.slice(0, blank.index) : text)
  const type = (headers.get('content-type') ?? 'text/plain').toLowerCase()
  const [mime, ...params] = type.split(';').map((s) => s.trim())
  if (mime !== 'text/plain') return null
  for (const p of params) {
    const [k, v = ''] = p.split('=').map((s) => s.trim().replace(/^"|"$/g, ''))
    if (k === 'charset' && !UTF8.has(v)) return null
    // flowed text is rewrapped by a reader; leave that to mailparser
    if (k === 'format' || k === 'delsp') return null
  }
  const body = decodeBody(blank ? text.slice(blank.index + blank[0].length) : '', (headers.get('content-transfer-encoding') ?? '').toLowerCase())
  const subject = decodeWords(headers.get('subject') ?? '')
  const shopId = decodeWords(headers.get('x-panel-shop') ?? '')
  const templateId = decodeWords(headers.get('x-panel-template') ?? '')
  if (body === null || subject === null || shopId === null || templateId === null) return null
  return { subject, text: body, html: null, messageId: headers.get('message-id') || null, shopId: shopId || null, templateId: templateId || null }
}

/** the same fields through mailparser, for every other kind of message */
export async function parseAnyMail(raw: Buffer): Promise<ParsedMail> {
  const parsed = await simpleParser(raw)
  const header = (value: unknown) => (typeof value === 'string' && value ? value : null)
  return {
    subject: parsed.subject ?? '',
    text: parsed.text ?? '',
    html: typeof parsed.html === 'string' ? parsed.html : null,
    messageId: parsed.messageId ?? null,
    shopId: header(parsed.headers.get('x-panel-shop')),
    templateId: header(parsed.headers.get('x-panel-template')),
  }
}

export async function parseMail(raw: Buffer): Promise<ParsedMail> {
  return parseSimpleMail(raw) ?? parseAnyMail(raw)
}
