/** The import: its statuses (a persisted state machine), progress, counts and details. */
import { z } from 'zod'
import type { Localized } from './i18n.ts'
import { PlatformId, SourceCredentials } from './platforms.ts'
import { ShopRef } from './shops.ts'
import { csvOf } from './list.ts'

export const IMPORT_STATUSES = [
  'awaiting_xml',
  'awaiting_verification',
  'verifying',
  'buffered',
  'completed',
  'fetch_failed',
  'verification_failed',
  'source_deleted',
] as const
export const ImportStatus = z.enum(IMPORT_STATUSES)
export type ImportStatus = z.infer<typeof ImportStatus>

export const IMPORT_STATUS_LABELS: Record<ImportStatus, Localized> = {
  awaiting_xml: { pl: 'Oczekuje na wygenerowanie pliku XML', en: 'Waiting for the XML file to be generated' },
  awaiting_verification: { pl: 'Oczekuje na weryfikację', en: 'Waiting for verification' },
  verifying: { pl: 'Weryfikacja pliku', en: 'Verifying the file' },
  buffered: { pl: 'W buforze', en: 'In the buffer' },
  completed: { pl: 'Zakończony', en: 'Completed' },
  fetch_failed: { pl: 'Błąd pobierania danych', en: 'Fetching data failed' },
  verification_failed: { pl: 'Błąd weryfikacji pliku', en: 'File verification failed' },
  source_deleted: { pl: 'Źródło usunięte', en: 'Source deleted' },
}

/** Which status may follow which; the backend's state machine enforces exactly this. */
export const IMPORT_TRANSITIONS: Record<ImportStatus, readonly ImportStatus[]> = {
  awaiting_xml: ['awaiting_verification', 'fetch_failed', 'source_deleted'],
  fetch_failed: ['awaiting_xml', 'source_deleted'],
  awaiting_verification: ['verifying', 'source_deleted'],
  verifying: ['buffered', 'verification_failed', 'awaiting_verification'],
  verification_failed: ['verifying', 'source_deleted'],
  buffered: ['completed', 'source_deleted'],
  completed: ['buffered', 'source_deleted'],
  source_deleted: [],
}

export const Progress = z.object({ fetched: z.number().int(), total: z.number().int().nullable() })
export type Progress = z.infer<typeof Progress>

export const ImportCounts = z.object({
  pending: z.number().int(),
  failed: z.number().int(),
  skipped: z.number().int(),
  imported: z.number().int(),
  notified: z.number().int(),
})
export type ImportCounts = z.infer<typeof ImportCounts>

export const ImportSummary = z.object({
  id: z.string(),
  /** null for an uploaded file until its verification names the platform */
  platform: PlatformId.nullable(),
  /** the source shop's address, or the uploaded file's name */
  domain: z.string(),
  shops: z.array(ShopRef),
  status: ImportStatus,
  progress: Progress,
  counts: ImportCounts,
  /** uploaded file instead of a fetch from the source */
  origin: z.enum(['source', 'upload']),
  createdAt: z.string(),
  updatedAt: z.string(),
})
export type ImportSummary = z.infer<typeof ImportSummary>

/** Why source records were left out of the file. */
export const SKIP_REASONS = ['guest', 'deleted', 'staff', 'newsletter_only', 'deleted_address', 'invalid_record'] as const
export const SkipReason = z.enum(SKIP_REASONS)
export type SkipReason = z.infer<typeof SkipReason>
export const SKIP_REASON_LABELS: Record<z.infer<typeof SkipReason>, Localized> = {
  guest: { pl: 'Goście (zakupy bez konta)', en: 'Guests (no account)' },
  deleted: { pl: 'Konta usunięte w sklepie źródłowym', en: 'Accounts deleted at the source' },
  staff: { pl: 'Konta obsługi sklepu (administratorzy, kierownicy sklepu)', en: 'Shop staff accounts (administrators, shop managers)' },
  newsletter_only: { pl: 'Tylko subskrybenci newslettera', en: 'Newsletter-only subscribers' },
  deleted_address: { pl: 'Adresy usunięte w sklepie źródłowym (nieprzeniesione)', en: 'Addresses deleted at the source (not moved)' },
  invalid_record: { pl: 'Rekordy nieczytelne (bez identyfikatora)', en: 'Unreadable records (no id)' },
}
/** left out, but no customer account: not part of a page's `read` (progress counts accounts) */
export const NON_ACCOUNT_SKIP_REASONS: readonly SkipReason[] = ['newsletter_only', 'deleted_address']

export const GenerationDetails = z.object({
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  pagesFetched: z.number().int(),
  requests: z.number().int(),
  rateLimitWaits: z.number().int(),
  rateLimitWaitMs: z.number().int(),
  retries: z.number().int(),
  customersWritten: z.number().int(),
  leftOut: z.partialRecord(SkipReason, z.number().int()),
  lastError: z.object({ code: z.string(), message: z.string(), at: z.string() }).nullable(),
  /** a restart carried on from the checkpoint this many times */
  resumes: z.number().int(),
})
export type GenerationDetails = z.infer<typeof GenerationDetails>

/** Details of a fetch that has not started yet. */
export function emptyGenerationDetails(): GenerationDetails {
  return {
    startedAt: null,
    finishedAt: null,
    pagesFetched: 0,
    requests: 0,
    rateLimitWaits: 0,
    rateLimitWaitMs: 0,
    retries: 0,
    customersWritten: 0,
    leftOut: {},
    lastError: null,
    resumes: 0,
  }
}

export const VerificationIssue = z.object({
  line: z.number().int(),
  column: z.number().int(),
  code: z.string(),
  message: z.string(),
})
export type VerificationIssue = z.infer<typeof VerificationIssue>

export const Verification = z.object({
  ok: z.boolean(),
  errors: z.array(VerificationIssue),
  customers: z.number().int().optional(),
  finishedAt: z.string().optional(),
})
export type Verification = z.infer<typeof Verification>

export const ImportDetails = ImportSummary.extend({
  generation: GenerationDetails,
  verification: Verification.nullable(),
  file: z.object({ available: z.boolean(), size: z.number().int(), customers: z.number().int().nullable() }),
  /** whether source credentials are still stored (they are wiped on usuń źródło and when done) */
  hasCredentials: z.boolean(),
})
export type ImportDetails = z.infer<typeof ImportDetails>

/** Zapisz i zleć import */
export const CreateImportRequest = z.object({
  credentials: SourceCredentials,
  shopIds: z.array(z.string().min(1)).min(1).max(100),
})
export type CreateImportRequest = z.infer<typeof CreateImportRequest>

/** multipart fields of POST /imports/upload besides `file` */
export const UploadShopIds = z
  .union([z.string(), z.array(z.string())])
  .transform((v) => (Array.isArray(v) ? v : [v]).flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean))
  .pipe(z.array(z.string()).min(1).max(100))

export const ImportListQuery = z.object({
  status: csvOf(ImportStatus).optional(),
})

export const IMPORT_EVENT_TYPES = ['progress', 'status', 'counts'] as const
export const ImportEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('progress'), importId: z.string(), progress: Progress }),
  z.object({ type: z.literal('status'), importId: z.string(), status: ImportStatus }),
  z.object({ type: z.literal('counts'), importId: z.string(), counts: ImportCounts }),
])
export type ImportEvent = z.infer<typeof ImportEvent>
