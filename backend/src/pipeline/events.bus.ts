/** In-process pub/sub of import events for the SSE route (one host instance sees its own jobs). */
import { EventEmitter } from 'node:events'
import type { ImportEvent } from '@cm/contracts'

export class ImportEvents {
  private readonly emitter = new EventEmitter().setMaxListeners(0)

  publish(e: ImportEvent): void {
    this.emitter.emit(e.importId, e)
  }

  subscribe(importId: string, fn: (e: ImportEvent) => void): () => void {
    this.emitter.on(importId, fn)
    return () => this.emitter.off(importId, fn)
  }
}
