/**
 * The sourceIds seen so far in a file, kept compact and exact: each id is copied as UTF-8 into
 * one growing byte buffer and found again through an open-addressing table of 32-bit hashes.
 *
 * A plain Set<string> was the verifier's one memory leak: saxes hands attribute values out as
 * slices of its read chunk, so each remembered id over 12 characters kept its whole 256 KiB chunk
 * alive (a 200 MB file with 36-character ids retained ~390 MB of heap). It also costs ~80 bytes per
 * id and cannot hold more than 2^24 entries (V8 throws a RangeError). Here an id costs its UTF-8
 * length plus ~24 bytes (offset, hash, table at half load, with doubling slack), off the JS heap.
 */
/** offsets are 32-bit, and no Buffer grows past 4 GiB anyway */
const MAX_BYTES = 2 ** 32 - 1

export class SourceIdSet {
  private bytes = Buffer.allocUnsafe(64 * 1024)
  /** id k's bytes are bytes[offsets[k] .. offsets[k + 1]); offsets[size] is where the next id goes */
  private offsets = new Uint32Array(1024)
  private hashes = new Uint32Array(1024)
  /** 0 is empty, otherwise an id's index + 1 */
  private table = new Int32Array(2048)
  private count = 0

  get size(): number {
    return this.count
  }

  /** bytes allocated for the set, slack included */
  get footprint(): number {
    return this.bytes.length + this.offsets.byteLength + this.hashes.byteLength + this.table.byteLength
  }

  /** Returns true when `id` was added before; adds it otherwise. */
  seen(id: string): boolean {
    const start = this.offsets[this.count]!
    this.reserveBytes(start + id.length * 3)
    const end = start + this.bytes.write(id, start, 'utf8')
    const hash = fnv1a(this.bytes, start, end)
    const mask = this.table.length - 1
    let slot = hash & mask
    for (let entry = this.table[slot]!; entry !== 0; entry = this.table[slot]!) {
      const k = entry - 1
      const from = this.offsets[k]!
      const to = this.offsets[k + 1]!
      if (this.hashes[k] === hash && to - from === end - start && this.bytes.compare(this.bytes, from, to, start, end) === 0) return true
      slot = (slot + 1) & mask
    }
    if (this.count + 2 > this.hashes.length) this.growEntries()
    this.hashes[this.count] = hash
    this.offsets[this.count + 1] = end
    this.table[slot] = ++this.count
    if (this.count * 2 > this.table.length) this.rehash()
    return false
  }

  private reserveBytes(needed: number): void {
    if (needed <= this.bytes.length) return
    if (needed > MAX_BYTES) throw new RangeError('sourceIds exceed 4 GiB')
    const grown = Buffer.allocUnsafe(Math.min(MAX_BYTES, Math.max(needed, this.bytes.length * 2)))
    this.bytes.copy(grown, 0, 0, this.offsets[this.count]!)
    this.bytes = grown
  }

  private growEntries(): void {
    const offsets = new Uint32Array(this.offsets.length * 2)
    offsets.set(this.offsets)
    this.offsets = offsets
    const hashes = new Uint32Array(this.hashes.length * 2)
    hashes.set(this.hashes)
    this.hashes = hashes
  }

  private rehash(): void {
    const table = new Int32Array(this.table.length * 2)
    const mask = table.length - 1
    for (let k = 0; k < this.count; k++) {
      let slot = this.hashes[k]! & mask
      while (table[slot] !== 0) slot = (slot + 1) & mask
      table[slot] = k + 1
    }
    this.table = table
  }
}

/** 32-bit FNV-1a over bytes[from, to). */
function fnv1a(bytes: Buffer, from: number, to: number): number {
  let h = 0x811c9dc5
  for (let i = from; i < to; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193)
  return h >>> 0
}
