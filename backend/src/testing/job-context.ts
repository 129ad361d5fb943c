/**
 * A second module instance's context on a test module's database and storage, with its own bree
 * and instance id: for tests that drive the job runners directly (races, leases).
 */
import type { MikroORM } from '@mikro-orm/core'
import Bree from 'bree'
import type { ModuleContext } from '../context.ts'
import type { ModuleSettings } from '../ports.ts'
import { ImportEvents } from '../pipeline/events.bus.ts'
import { resolveSettings } from '../settings.ts'
import { createMemoryPorts } from './memory-ports.ts'

export function jobContext(opts: { orm: MikroORM; storageDir: string; instanceId: string; log?: ModuleSettings['log'] }): { ctx: ModuleContext; bree: Bree } {
  const { ports } = createMemoryPorts({ storage: { dir: opts.storageDir } })
  const bree = new Bree({ root: false, logger: false, acceptedExtensions: ['.ts', '.js', '.mjs'], jobs: [] })
  const ctx: ModuleContext = {
    ports,
    settings: { ...resolveSettings(ports.settings), log: opts.log ?? (() => {}) },
    clock: { now: () => new Date() },
    events: new ImportEvents(),
    instanceId: opts.instanceId,
    runtime: { orm: opts.orm, bree },
    jobs: new Map(),
    starting: new Set(),
    background: new Set(),
    stopping: false,
  }
  return { ctx, bree }
}
