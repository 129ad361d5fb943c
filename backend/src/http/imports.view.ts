/** Import rows as the API shows them (never with credentials). */
import { PlatformId, type ImportDetails, type ImportSummary, type ImportCounts, type Shop } from '@cm/contracts'
import type { ImportRow } from '../db/import.entity.ts'

export function toSummary(row: ImportRow, counts: ImportCounts, shops: Shop[]): ImportSummary {
  const byId = new Map(shops.map((s) => [s.id, s.name]))
  const platform = PlatformId.safeParse(row.platform)
  return {
    id: String(row.id),
    platform: platform.success ? platform.data : null,
    domain: row.domain,
    shops: row.shopIds.map((id) => ({ id, name: byId.get(id) ?? id })),
    status: row.status as ImportSummary['status'],
    progress: { fetched: row.fetched, total: row.total ?? null },
    counts,
    origin: row.origin === 'upload' ? 'upload' : 'source',
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  }
}

export function toDetails(row: ImportRow, counts: ImportCounts, shops: Shop[], fileAvailable: boolean): ImportDetails {
  return {
    ...toSummary(row, counts, shops),
    generation: row.generation,
    verification: row.verification ?? null,
    file: { available: fileAvailable, size: Number(row.fileSize), customers: row.fileCustomers ?? null },
    hasCredentials: row.credentials != null,
  }
}
