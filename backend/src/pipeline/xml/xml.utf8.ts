/**
 * Strict UTF-8 decoding of a byte stream: a fatal TextDecoder catches broken bytes that
 * createReadStream's own decoding would silently turn into U+FFFD; on failure it hands back
 * the valid text before the broken byte, so the caller can tell where it is.
 */
const EMPTY = new Uint8Array(0)

export type Decoded = { text: string; broken: boolean }

export class StrictUtf8Decoder {
  private readonly decoder = new TextDecoder('utf-8', { fatal: true })
  /** the bytes of an incomplete character the decoder holds back between chunks */
  private held: Uint8Array = EMPTY
  /** a BOM is stripped only at the very start of the stream */
  private atStart = true

  decode(chunk: Uint8Array): Decoded {
    try {
      const text = this.decoder.decode(chunk, { stream: true })
      this.held = heldBack(chunk.length >= 3 ? chunk.subarray(chunk.length - 3) : concat(this.held, chunk))
      if (chunk.length > 0) this.atStart = false
      return { text, broken: false }
    } catch {
      return { text: validPrefix(concat(this.held, chunk), !this.atStart), broken: true }
    }
  }

  /** Flushes at end of input; an incomplete last character is broken. */
  end(): Decoded {
    try {
      return { text: this.decoder.decode(), broken: false }
    } catch {
      return { text: '', broken: true }
    }
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b
  const out = new Uint8Array(a.length + b.length)
  out.set(a)
  out.set(b, a.length)
  return out
}

/** The trailing bytes of an unfinished (so far valid) sequence, copied since read buffers may be reused. */
function heldBack(end: Uint8Array): Uint8Array {
  for (let k = 1; k <= end.length; k++) {
    const b = end[end.length - k]!
    if ((b & 0xc0) === 0x80) continue
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1
    return need > k ? end.slice(end.length - k) : EMPTY
  }
  return EMPTY
}

/** Text of the longest prefix that is still valid UTF-8 (binary search; the error path only). */
function validPrefix(bytes: Uint8Array, ignoreBOM: boolean): string {
  const valid = (n: number): boolean => {
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, n), { stream: true })
      return true
    } catch {
      return false
    }
  }
  let lo = 0
  let hi = bytes.length
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2)
    if (valid(mid)) lo = mid
    else hi = mid - 1
  }
  return new TextDecoder('utf-8', { ignoreBOM }).decode(bytes.subarray(0, lo), { stream: true })
}
