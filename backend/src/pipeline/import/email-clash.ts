/** Whether an existing panel customer with the same e-mail blocks this one, and why. */
import type { PanelCustomerRef } from '../../ports.ts'

export function makeExternalRef(importId: string, sourceId: string): string {
  return `cm:${importId}:${sourceId}`
}

/**
 * What an existing panel customer with the same e-mail means for this one: itself, imported
 * before (a retry); an earlier customer of the same import (the first one wins); or somebody else's.
 */
export function classifyEmailClash(
  existing: PanelCustomerRef | undefined,
  importId: string,
  sourceId: string,
): 'none' | 'same_customer' | 'duplicate_in_file' | 'taken' {
  if (!existing) return 'none'
  if (existing.externalRef === makeExternalRef(importId, sourceId)) return 'same_customer'
  if (existing.externalRef?.startsWith(`cm:${importId}:`)) return 'duplicate_in_file'
  return 'taken'
}
