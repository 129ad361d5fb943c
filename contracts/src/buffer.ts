/** Klienci niezaimportowani: the buffered customers, their edits, import and skip. */
import { z } from 'zod'
import { CanonicalCustomer, CustomerEdit } from './customer.ts'
import { CustomerError, CustomerErrorCode } from './customer-errors.ts'
import { ListQuery, csvOf, listOf } from './list.ts'

export const BUFFER_STATES = ['pending', 'failed', 'skipped', 'imported'] as const
export const BufferState = z.enum(BUFFER_STATES)
export type BufferState = z.infer<typeof BufferState>

export const BufferedCustomer = z.object({
  id: z.string(),
  sourceId: z.string(),
  state: BufferState,
  /** the customer as the file carried it, with the admin's edits applied */
  customer: CanonicalCustomer,
  /** the login the import will use (derived from the e-mail when the source has none) */
  plannedLogin: z.string(),
  edited: z.boolean(),
  errors: z.array(CustomerError),
  updatedAt: z.string(),
})
export type BufferedCustomer = z.infer<typeof BufferedCustomer>
export const BufferList = listOf(BufferedCustomer)

export const BufferQuery = ListQuery.extend({
  state: csvOf(BufferState).optional(),
  /** only customers having one of these error codes */
  errorCode: csvOf(CustomerErrorCode).optional(),
})
export type BufferQuery = z.infer<typeof BufferQuery>

/** "everything matching" in the list, as the admin filtered it */
export const BufferFilter = z
  .object({
    state: z.array(z.enum(['pending', 'failed'])).optional(),
    q: z.string().max(200).optional(),
    errorCode: z.array(CustomerErrorCode).optional(),
  })
  .strict()
export type BufferFilter = z.infer<typeof BufferFilter>

const Ids = z.array(z.string().min(1).max(40)).min(1).max(500)

export const ImportCustomersRequest = z.union([
  z.object({ ids: Ids, edits: z.record(z.string(), CustomerEdit).optional() }).strict(),
  z.object({ all: z.literal(true), filter: BufferFilter.optional() }).strict(),
])
export type ImportCustomersRequest = z.infer<typeof ImportCustomersRequest>

export const CustomerImportResult = z.object({
  id: z.string(),
  ok: z.boolean(),
  state: BufferState,
  panelCustomerId: z.string().optional(),
  errors: z.array(CustomerError),
})
export type CustomerImportResult = z.infer<typeof CustomerImportResult>

export const ImportCustomersResponse = z.object({
  /** results per requested id (empty for `all`, which runs in the background) */
  results: z.array(CustomerImportResult),
  imported: z.number().int(),
  failed: z.number().int(),
  /** for `all`: how many customers were queued */
  queued: z.number().int(),
})
export type ImportCustomersResponse = z.infer<typeof ImportCustomersResponse>

export const SkipCustomersRequest = z.object({ ids: Ids }).strict()
export const SkipCustomersResponse = z.object({ skipped: z.number().int() })

/** Przywróć: skipped customers go back to the list to import */
export const RestoreCustomersRequest = SkipCustomersRequest
export const RestoreCustomersResponse = z.object({ restored: z.number().int() })
