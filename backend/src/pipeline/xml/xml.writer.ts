/**
 * Streams customers into the migration XML on disk, resumably: the caller persists checkpoint()
 * results, and after a crash resume() cuts the file back to the last one and carries on.
 */
import { open, type FileHandle } from 'node:fs/promises'
import type { CanonicalCustomer } from '@cm/contracts'
import {
  COUNT_LABEL,
  FOOTER,
  GENERATED_AT_SLOT_WIDTH,
  countSlot,
  generatedAtSlot,
  renderCustomer,
  renderHeader,
  type XmlWriterHeader,
} from './xml.render.ts'

export { renderCustomer, type XmlWriterHeader }

export type XmlCheckpoint = { bytes: number; customers: number; countSlotOffset: number }

type State = 'open' | 'busy' | 'failed' | 'closed'

/** Positioned writes only: we never depend on the file's own offset, which a truncate would leave stale. */
async function writeAt(fh: FileHandle, data: Buffer, position: number): Promise<void> {
  let done = 0
  while (done < data.length) {
    const { bytesWritten } = await fh.write(data, done, data.length - done, position + done)
    done += bytesWritten
  }
}

export class CustomerXmlWriter {
  private state: State = 'open'

  private constructor(
    private readonly fh: FileHandle,
    private bytes: number,
    private customers: number,
    private readonly countSlotOffset: number,
  ) {}

  /** Starts a new file (overwriting any old one) with the header and a zero count to be patched by finish(). */
  static async create(path: string, header: XmlWriterHeader): Promise<CustomerXmlWriter> {
    const { text, countSlotOffset } = renderHeader(header)
    const fh = await open(path, 'w')
    try {
      const data = Buffer.from(text)
      await writeAt(fh, data, 0)
      return new CustomerXmlWriter(fh, data.length, 0, countSlotOffset)
    } catch (e) {
      await fh.close()
      throw e
    }
  }

  /** Reopens a file written by create(), dropping everything after the checkpoint (customers not yet persisted). */
  static async resume(path: string, checkpoint: XmlCheckpoint): Promise<CustomerXmlWriter> {
    const fh = await open(path, 'r+')
    try {
      const { size } = await fh.stat()
      if (size < checkpoint.bytes) throw new Error(`XML file is shorter (${size} B) than its checkpoint (${checkpoint.bytes} B)`)
      const label = Buffer.alloc(COUNT_LABEL.length)
      await fh.read(label, 0, label.length, checkpoint.countSlotOffset - label.length)
      if (label.toString() !== COUNT_LABEL) throw new Error('XML file does not match its checkpoint (count slot not found)')
      await fh.truncate(checkpoint.bytes)
      return new CustomerXmlWriter(fh, checkpoint.bytes, checkpoint.customers, checkpoint.countSlotOffset)
    } catch (e) {
      await fh.close()
      throw e
    }
  }

  /** Appends one batch; only this batch is ever held in memory. */
  async writeCustomers(customers: readonly CanonicalCustomer[]): Promise<void> {
    if (customers.length === 0) return
    await this.step(async () => {
      const data = Buffer.from(customers.map(renderCustomer).join(''))
      await writeAt(this.fh, data, this.bytes)
      this.bytes += data.length
      this.customers += customers.length
    })
  }

  /** Makes everything written so far durable and says where it ends; persist the result to resume from it. */
  async checkpoint(): Promise<XmlCheckpoint> {
    return this.step(async () => {
      await this.fh.datasync()
      return { bytes: this.bytes, customers: this.customers, countSlotOffset: this.countSlotOffset }
    })
  }

  /** Closes the root, patches count and generatedAt in place, syncs and closes the file. */
  async finish(generatedAt: string = new Date().toISOString()): Promise<{ bytes: number; customers: number }> {
    const result = await this.step(async () => {
      const footer = Buffer.from(FOOTER)
      await writeAt(this.fh, footer, this.bytes)
      this.bytes += footer.length
      await writeAt(this.fh, Buffer.from(countSlot(this.customers)), this.countSlotOffset)
      const generatedAtOffset = this.countSlotOffset - COUNT_LABEL.length - GENERATED_AT_SLOT_WIDTH
      await writeAt(this.fh, Buffer.from(generatedAtSlot(generatedAt)), generatedAtOffset)
      await this.fh.sync()
      return { bytes: this.bytes, customers: this.customers }
    })
    await this.close()
    return result
  }

  /** Closes the file as it is; a later resume() from a checkpoint carries on. */
  async abort(): Promise<void> {
    await this.close()
  }

  private async close(): Promise<void> {
    if (this.state === 'closed') return
    this.state = 'closed'
    await this.fh.close()
  }

  /** One operation at a time; after a failed write the file's tail is unknown, so only resume() may continue. */
  private async step<T>(run: () => Promise<T>): Promise<T> {
    if (this.state !== 'open') throw new Error(`XML writer is ${this.state}`)
    this.state = 'busy'
    try {
      const result = await run()
      if (this.state === 'busy') this.state = 'open'
      return result
    } catch (e) {
      if (this.state === 'busy') this.state = 'failed'
      throw e
    }
  }
}
