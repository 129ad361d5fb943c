/** One migration: its status, source (sealed credentials), file, checkpoint and details. */
import { defineEntity, p, type InferEntity } from '@mikro-orm/core'
import type { GenerationDetails, Verification } from '@cm/contracts'

/** Where a fetch resumes: the connector's cursor and the file position that matches it. */
export interface FetchCheckpoint {
  cursor: string | null
  bytes: number
  customers: number
  countSlotOffset: number
  read: number
}

export const ImportEntity = defineEntity({
  name: 'CmImport',
  tableName: 'xcm_import',
  properties: {
    id: p.integer().primary().autoincrement(),
    platform: p.string().length(32),
    domain: p.string().length(255),
    origin: p.string().length(16),
    shopIds: p.json<string[]>(),
    // statuses are validated by zod and moved only by status.machine.ts (a p.enum with 3+ values never settles on SQLite)
    status: p.string().length(32).index(),
    credentials: p.text().nullable(),
    fetched: p.integer().default(0),
    total: p.integer().nullable(),
    checkpoint: p.json<FetchCheckpoint>().nullable(),
    generation: p.json<GenerationDetails>(),
    verification: p.json<Verification>().nullable(),
    filePath: p.string().length(500).nullable(),
    fileSize: p.bigint('number').default(0),
    fileCustomers: p.integer().nullable(),
    createdBy: p.string().length(100),
    /**
     * `<platform>:<domain>` while the import fetches, null otherwise: unique, so two fetches
     * from one source shop cannot both exist, whatever the database or the number of instances
     */
    runningKey: p.string().length(300).nullable().unique(),
    /** a process that runs this import's job holds the lease (several host instances) */
    leaseOwner: p.string().length(100).nullable(),
    leaseUntil: p.datetime().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
})
export type ImportRow = InferEntity<typeof ImportEntity>
