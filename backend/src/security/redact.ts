/** Scrubs secrets out of anything before it is logged (passwords, tokens, API keys, URL credentials). */
import type { ModuleSettings } from '../ports.ts'

export const REDACTED = '[redacted]'

/** Keys whose values are never logged, whatever they hold. */
const SECRET_KEY = /passw(or)?d|passphrase|^pass$|token|secret|authori[sz]ation|api[-_]?key|cookie|credential/i
const MAX_DEPTH = 8

/** `https://user:pass@host` → `https://[redacted]@host` */
const URL_USERINFO = /(\b[a-z][a-z0-9+.-]*:\/\/)[^/\s@]+@/gi

function redactString(s: string, secrets: string[]): string {
  let out = s.replace(URL_USERINFO, `$1${REDACTED}@`)
  for (const secret of secrets) out = out.split(secret).join(REDACTED)
  return out
}

/**
 * A copy of `value` with every occurrence of the given secret strings replaced, and the values of
 * secret-named keys (password, token, secret, authorization, api key, cookie) replaced whole.
 * Errors become `{name, message, cause}`; cycles and very deep values are cut.
 */
export function redactSecrets(value: unknown, secrets: string[]): unknown {
  // longest first, so a secret that contains another is replaced whole
  const list = [...new Set(secrets.filter((s) => s !== ''))].sort((a, b) => b.length - a.length)
  const seen = new WeakSet<object>()

  const walk = (v: unknown, depth: number): unknown => {
    if (typeof v === 'string') return redactString(v, list)
    if (v === null || typeof v !== 'object') return typeof v === 'function' ? '[function]' : v
    if (seen.has(v)) return '[circular]'
    if (depth >= MAX_DEPTH) return '[too deep]'
    seen.add(v)
    if (v instanceof Error) {
      const out: Record<string, unknown> = { name: v.name, message: walk(v.message, depth + 1) }
      if (v.cause !== undefined) out.cause = walk(v.cause, depth + 1)
      return out
    }
    if (v instanceof Date) return v.toISOString()
    if (v instanceof URL) return redactString(v.href, list)
    if (ArrayBuffer.isView(v)) return `[binary ${v.byteLength} bytes]`
    if (Array.isArray(v)) return v.map((x) => walk(x, depth + 1))
    if (v instanceof Map) return walk(Object.fromEntries(v), depth)
    if (v instanceof Headers) return walk(Object.fromEntries(v.entries()), depth)
    const out: Record<string, unknown> = {}
    for (const [k, x] of Object.entries(v)) out[k] = SECRET_KEY.test(k) ? REDACTED : walk(x, depth + 1)
    return out
  }
  return walk(value, 0)
}

type Log = ModuleSettings['log']

/** The host's log, with the message and data scrubbed first; `secrets` is read at each call. */
export function safeLog(log: Log, secrets: string[] | (() => string[]) = []): Log {
  return (level, msg, data) => {
    const list = typeof secrets === 'function' ? secrets() : secrets
    const cleanMsg = redactString(msg, [...list].filter((s) => s !== '').sort((a, b) => b.length - a.length))
    if (data === undefined) log(level, cleanMsg)
    else log(level, cleanMsg, redactSecrets(data, list) as Record<string, unknown>)
  }
}

/** Secrets shorter than this are not scrubbed as text (they would blank out ordinary words). */
const MIN_SECRET_LENGTH = 3
/** credential fields that are not secret */
const PUBLIC_CREDENTIAL_FIELD = /^(platform|domain|login|user(name)?|url|shop)$/i

/** `\u0142`-style JSON escapes of every non-ASCII character, as some servers echo them. */
const asciiJson = (s: string) => JSON.stringify(s).slice(1, -1).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)

/**
 * Every form in which a source's secrets may come back in its answers or errors: as typed,
 * URL-encoded (upper and lower case, `+` for spaces), JSON-escaped, base64/base64url, and the
 * Basic form (base64 of `login:secret`). Used to scrub text a source sent before it is stored
 * or shown (e.g. the reason of a failed fetch).
 */
export function credentialSecrets(credentials: Record<string, unknown>): string[] {
  const login = typeof credentials.login === 'string' ? credentials.login : ''
  const out = new Set<string>()
  for (const [key, value] of Object.entries(credentials)) {
    if (typeof value !== 'string' || value.length < MIN_SECRET_LENGTH || PUBLIC_CREDENTIAL_FIELD.test(key)) continue
    const encoded = encodeURIComponent(value)
    const basic = Buffer.from(`${login}:${value}`, 'utf8')
    for (const form of [
      value,
      encoded,
      encoded.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()),
      new URLSearchParams({ v: value }).toString().slice(2),
      JSON.stringify(value).slice(1, -1),
      asciiJson(value),
      Buffer.from(value, 'utf8').toString('base64'),
      Buffer.from(value, 'utf8').toString('base64url'),
      basic.toString('base64'),
      basic.toString('base64url'),
      encodeURIComponent(`${login}:${value}`),
    ]) {
      if (form.length >= MIN_SECRET_LENGTH) out.add(form)
    }
  }
  return [...out]
}
