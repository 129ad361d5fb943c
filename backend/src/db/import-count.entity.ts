/**
 * Kept per-import counts of buffer rows by state (`pending`, `importing`, `failed`, `skipped`,
 * `imported`) and of notified rows (`notified`). Database triggers keep them (raw/counts.sql.ts),
 * so every writer, in any process, moves them in its own transaction and a list never recounts.
 */
import { defineEntity, p, type InferEntity } from '@mikro-orm/core'

export const ImportCountEntity = defineEntity({
  name: 'CmImportCount',
  tableName: 'xcm_import_count',
  properties: {
    importId: p.integer().primary(),
    bucket: p.string().length(16).primary(),
    n: p.integer().default(0),
  },
})
export type ImportCountRow = InferEntity<typeof ImportCountEntity>
