/** What createCustomerMigrationModule hands the host. */
import type { MikroORM, EntitySchema } from '@mikro-orm/core'
import type Bree from 'bree'

export interface ModuleJobDefinition {
  name: string
  /** absolute path of the worker entry bree runs (a .mjs shim loading the TS job) */
  path: string
  description: string
}

export interface StartContext {
  /** the host's ORM, initialised with `entities` among its own */
  orm: MikroORM
  /** the host's bree instance; the module adds and runs its own jobs on it */
  bree: Bree
}

export type RedeemResult = { ok: true; customerId: string } | { ok: false; reason: 'unknown' | 'expired' | 'used' }

export interface ModuleLifecycle {
  entities: EntitySchema[]
  jobs: ModuleJobDefinition[]
  /** resumes or rolls back work interrupted by a stop or a crash */
  start(ctx: StartContext): Promise<void>
  /** stops running jobs (their checkpoints stay) */
  stop(): Promise<void>
  /** the storefront calls this when a customer sets a password through the mailed link */
  redeemPasswordToken(token: string, newPassword: string): Promise<RedeemResult>
}
