/**
 * The sink's outbox: `outbox.jsonl`, one mail per line, appended through one write stream, and
 * in memory only where each line starts, how long it is and a hash of its recipient (16 bytes a
 * mail, 16 MB for a million) — a mail is read back from the file when someone asks for it.
 */
import fs from 'node:fs'
import type { ParsedMail } from './mail-sink.parse.ts'

/** a received mail: its envelope and what was read from the message */
export interface OutboxMail extends ParsedMail {
  id: string
  receivedAt: string
  from: string
  to: string[]
}

export interface OutboxPage {
  items: OutboxMail[]
  /** position of the next mail to read, null at the end */
  next: number | null
  /** mails matching the query in the whole outbox */
  total: number
}

const PAGE = 65_536
const MULTI = 0

/** FNV-1a of the lower-cased address; 0 is kept for "several recipients, read the line" */
function recipientHash(to: string[]): number {
  if (to.length !== 1) return MULTI
  const s = to[0]!.toLowerCase()
  let h = 0x811c9dc5
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193)
  return h >>> 0 || 1
}

/** where each line sits in the file, in fixed pages so growing never copies what is there */
class LineIndex {
  private offsets: Float64Array[] = []
  private lengths: Uint32Array[] = []
  private hashes: Uint32Array[] = []
  count = 0

  push(offset: number, length: number, hash: number): void {
    const page = Math.floor(this.count / PAGE)
    if (page === this.offsets.length) {
      this.offsets.push(new Float64Array(PAGE))
      this.lengths.push(new Uint32Array(PAGE))
      this.hashes.push(new Uint32Array(PAGE))
    }
    const at = this.count % PAGE
    this.offsets[page]![at] = offset
    this.lengths[page]![at] = length
    this.hashes[page]![at] = hash
    this.count++
  }

  offset(i: number): number {
    return this.offsets[Math.floor(i / PAGE)]![i % PAGE]!
  }
  length(i: number): number {
    return this.lengths[Math.floor(i / PAGE)]![i % PAGE]!
  }
  hash(i: number): number {
    return this.hashes[Math.floor(i / PAGE)]![i % PAGE]!
  }
}

export class OutboxFile {
  private index = new LineIndex()
  private size = 0
  private out: fs.WriteStream | null = null
  private readFd: number | null = null

  constructor(private readonly file: string) {}

  /** indexes what the file holds already (QA sees mails across restarts) and opens it for appending */
  open(): void {
    if (this.out) return
    if (!fs.existsSync(this.file)) fs.writeFileSync(this.file, '')
    this.index = new LineIndex()
    this.readFd = fs.openSync(this.file, 'r')
    this.size = this.scan()
    const end = this.size > 0 ? Buffer.alloc(1) : null
    if (end) fs.readSync(this.readFd, end, 0, 1, this.size - 1)
    // a line torn by a crash mid-write ends without a newline: the next mail starts on a line of its own
    if (end && end[0] !== 0x0a) {
      fs.appendFileSync(this.file, '\n')
      this.size++
    }
    this.out = fs.createWriteStream(this.file, { flags: 'a' })
    // a failed write rejects that append; the stream's own error event must not crash the host
    this.out.on('error', () => {})
  }

  private scan(): number {
    const fd = this.readFd!
    const chunk = Buffer.allocUnsafe(1 << 20)
    let carry = Buffer.alloc(0)
    let position = 0
    let lineStart = 0
    for (;;) {
      const n = fs.readSync(fd, chunk, 0, chunk.length, position)
      if (n === 0) break
      const data = carry.length ? Buffer.concat([carry, chunk.subarray(0, n)]) : chunk.subarray(0, n)
      let from = 0
      for (let nl = data.indexOf(0x0a, from); nl >= 0; nl = data.indexOf(0x0a, from)) {
        this.indexLine(data.subarray(from, nl), lineStart)
        lineStart += nl + 1 - from
        from = nl + 1
      }
      carry = Buffer.from(data.subarray(from))
      position += n
    }
    return position
  }

  private indexLine(line: Buffer, offset: number): void {
    try {
      const mail = JSON.parse(line.toString('utf8')) as OutboxMail
      this.index.push(offset, line.length, recipientHash(mail.to))
    } catch {
      // a line torn by a crash mid-write; the rest is still good
    }
  }

  /** resolves once the line is in the file (handed to the OS): then the mail may be acknowledged */
  append(mail: OutboxMail): Promise<void> {
    const out = this.out
    if (!out) return Promise.reject(new Error('outbox not open'))
    const line = Buffer.from(JSON.stringify(mail) + '\n', 'utf8')
    const offset = this.size
    this.size += line.length
    return new Promise((resolve, reject) => {
      out.write(line, (err) => {
        if (err) return reject(err)
        // writes complete in order, so the index stays in file order
        this.index.push(offset, line.length - 1, recipientHash(mail.to))
        resolve()
      })
    })
  }

  get count(): number {
    return this.index.count
  }

  read(i: number): OutboxMail {
    const length = this.index.length(i)
    const offset = this.index.offset(i)
    const buf = Buffer.allocUnsafe(length)
    fs.readSync(this.readFd!, buf, 0, length, offset)
    return JSON.parse(buf.toString('utf8')) as OutboxMail
  }

  /** oldest first from position `from`; `to` matches a recipient regardless of case */
  page(q: { to?: string; from?: number; limit: number }): OutboxPage {
    const items: OutboxMail[] = []
    let next: number | null = null
    if (!q.to) {
      const start = Math.max(0, q.from ?? 0)
      const end = Math.min(this.count, start + q.limit)
      for (let i = start; i < end; i++) items.push(this.read(i))
      return { items, next: end < this.count ? end : null, total: this.count }
    }
    const want = q.to.toLowerCase()
    const hash = recipientHash([want])
    let total = 0
    for (let i = 0; i < this.count; i++) {
      const h = this.index.hash(i)
      if (h !== hash && h !== MULTI) continue
      const mail = this.read(i)
      if (!mail.to.some((r) => r.toLowerCase() === want)) continue
      total++
      if (i < (q.from ?? 0)) continue
      if (items.length < q.limit) items.push(mail)
      else next ??= i
    }
    return { items, next, total }
  }

  async close(): Promise<void> {
    const out = this.out
    this.out = null
    if (out) await new Promise<void>((resolve) => out.end(() => resolve()))
    if (this.readFd !== null) fs.closeSync(this.readFd)
    this.readFd = null
  }
}
