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

/** at most `max` characters (code points, as varchar(n) counts them) */
function clip(s: string, max: number): string {
  return s.length <= max ? s : [...s].slice(0, max).join('')
}

/**
 * Columns derived from the customer. The file allows values of up to 10 000 characters, and
 * such a customer must still be buffered (the import then says FIELD_TOO_LONG / EMAIL_INVALID),
 * so the two short columns are clipped to their sizes: PostgreSQL refuses what does not fit,
 * SQLite does not check. Neither is read back as the customer's data (`data` holds it whole).
 */
export function derivedColumns(c: CanonicalCustomer) {
  return { emailLower: clip(c.email.trim().toLowerCase(), 320), searchText: searchTextOf(c), login: clip(plannedLogin(c), 100) }
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
