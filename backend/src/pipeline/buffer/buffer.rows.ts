/** How a customer from the file becomes a buffer row, and how edits change it. */
import type { CanonicalCustomer, CustomerEdit } from '@cm/contracts'
import { applyEdit } from '@cm/contracts/rules'
import { deriveLoginBase } from '@cm/contracts/rules'

export function effectiveCustomer(data: CanonicalCustomer, edit: CustomerEdit | null | undefined): CanonicalCustomer {
  return edit ? applyEdit(data, edit) : data
}

/** the login the import will try first: the source's own, else one derived from the e-mail */
export function plannedLogin(c: CanonicalCustomer): string {
  return c.login.trim() || deriveLoginBase(c.email)
}

export function searchTextOf(c: CanonicalCustomer): string {
  const billing = c.addresses.find((a) => a.isDefaultBilling) ?? c.addresses[0]
  return [c.email, c.firstName, c.lastName, c.login, c.company, billing?.city, billing?.firstName, billing?.lastName, c.sourceId]
    .filter(Boolean)
    .join(' ')
    .toLowerCase()
}

export function derivedColumns(c: CanonicalCustomer) {
  return { emailLower: c.email.trim().toLowerCase(), searchText: searchTextOf(c), login: plannedLogin(c) }
}

export function newBufferRow(importId: number, position: number, c: CanonicalCustomer, now: Date) {
  return {
    importId,
    sourceId: c.sourceId,
    position,
    state: 'pending',
    data: c,
    edit: null,
    errors: null,
    errorCodes: '',
    panelCustomerId: null,
    importedAt: null,
    claimToken: null,
    claimedAt: null,
    notifyState: 'none',
    notifiedAt: null,
    notifyError: null,
    updatedAt: now,
    ...derivedColumns(c),
  }
}
