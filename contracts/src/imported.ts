/** Klienci zaimportowani, with the notification flag (Poinformowano klienta o założeniu konta). */
import { z } from 'zod'
import { ListQuery, listOf } from './list.ts'

export const ImportedCustomer = z.object({
  id: z.string(),
  sourceId: z.string(),
  panelCustomerId: z.string(),
  login: z.string(),
  email: z.string(),
  firstName: z.string(),
  lastName: z.string(),
  importedAt: z.string(),
  /** Poinformowano klienta o założeniu konta */
  notified: z.boolean(),
  notifiedAt: z.string().nullable(),
  /** the last send attempt failed, with this reason */
  notifyError: z.string().nullable(),
})
export type ImportedCustomer = z.infer<typeof ImportedCustomer>
export const ImportedList = listOf(ImportedCustomer)

export const ImportedQuery = ListQuery.extend({
  notified: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
})

export const NotifyRequest = z.union([
  z.object({ ids: z.array(z.string().min(1).max(40)).min(1).max(500), resend: z.boolean().optional() }).strict(),
  /** everyone not informed yet (resend never applies to `all`) */
  z.object({ all: z.literal(true) }).strict(),
])
export type NotifyRequest = z.infer<typeof NotifyRequest>

export const NotifyResult = z.object({
  id: z.string(),
  sent: z.boolean(),
  /** already informed and no resend was asked for */
  alreadyNotified: z.boolean(),
  error: z.string().optional(),
})
export const NotifyResponse = z.object({
  results: z.array(NotifyResult),
  sent: z.number().int(),
  failed: z.number().int(),
  queued: z.number().int(),
})
export type NotifyResponse = z.infer<typeof NotifyResponse>

/** What the customer would receive: the template filled with this customer's data (link shown as a sample). */
export const MailPreview = z.object({ to: z.string(), subject: z.string(), text: z.string(), shopId: z.string() })
export type MailPreview = z.infer<typeof MailPreview>
