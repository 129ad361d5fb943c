/**
 * The contract's zod schemas for the first screen's checks (error envelopes, live events),
 * loaded on first use: zod and the schemas are the largest part of contracts/, and the first
 * screen renders without them. Lazy screens (the template page, the import dialog) import
 * what they check with directly: it comes with their chunks.
 */
type Contracts = typeof import('@cm/contracts')

let pending: Promise<Contracts> | null = null

export function contractChecks(): Promise<Contracts> {
  pending ??= import('@cm/contracts').catch((e: unknown) => {
    // a failed download is tried again next time
    pending = null
    throw e
  })
  return pending
}
