/** Everything a route or stage needs, built once per module instance. */
import type { MikroORM, EntityManager } from '@mikro-orm/core'
import type Bree from 'bree'
import type { ModulePorts, ModuleSettings, ClockPort } from './ports.ts'
import type { ImportEvents } from './pipeline/events.bus.ts'
import type { RunningJob } from './jobs/job.runner.ts'

export interface ModuleContext {
  ports: ModulePorts
  settings: ModuleSettings
  clock: ClockPort
  events: ImportEvents
  /** unique per process: the lease owner of the jobs it runs */
  instanceId: string
  /** set by start(); routes answer 503 before */
  runtime: { orm: MikroORM; bree: Bree } | null
  /** jobs this process runs, by bree job name */
  jobs: Map<string, RunningJob>
  /** job names between the start call and `jobs.set` (a start awaits the database and bree; a second call then is a no-op) */
  starting: Set<string>
  /** background loops (import all, notify all) running in this process, by `<kind>:<importId>` */
  background: Set<string>
  /** set by stop(): interrupted jobs keep their status and checkpoint */
  stopping: boolean
}

export function em(ctx: ModuleContext): EntityManager {
  if (!ctx.runtime) throw new Error('customer-migration module not started')
  return ctx.runtime.orm.em.fork()
}
