import { z } from 'zod'
import { SourceCredentials } from './platforms.ts'
import { ConnectionError } from './errors.ts'

export const ConnectionCheckRequest = SourceCredentials
export const ConnectionCheckResponse = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), shopName: z.string().optional(), customerCount: z.number().int().optional() }),
  z.object({ ok: z.literal(false), error: ConnectionError }),
])
export type ConnectionCheckResponse = z.infer<typeof ConnectionCheckResponse>

/** Spec: the check answers within this time whatever the source does. */
export const CONNECTION_CHECK_TIMEOUT_MS = 15_000
