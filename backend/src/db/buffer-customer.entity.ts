/** A customer read from a verified file: Klienci niezaimportowani / zaimportowani. */
import { defineEntity, p, type InferEntity } from '@mikro-orm/core'
import type { CanonicalCustomer, CustomerEdit, CustomerError } from '@cm/contracts'

/** `importing` is internal: a batch claimed it; it shows as pending. */
export const ROW_STATES = ['pending', 'failed', 'skipped', 'imported', 'importing'] as const
export type RowState = (typeof ROW_STATES)[number]
/** `sending` with no outcome after a crash becomes `unknown`: never re-sent without an explicit resend. */
export type NotifyState = 'none' | 'sending' | 'sent' | 'failed' | 'unknown'

export const BufferCustomerEntity = defineEntity({
  name: 'CmBufferCustomer',
  tableName: 'xcm_buffer_customer',
  uniques: [{ properties: ['importId', 'sourceId'] }],
  indexes: [
    // id last: PostgreSQL reads a state's rows in id order past a cursor (SQLite's rowid does this implicitly)
    { properties: ['importId', 'state', 'id'] },
    { properties: ['importId', 'emailLower'] },
    { properties: ['importId', 'notifyState'] },
  ],
  properties: {
    id: p.integer().primary().autoincrement(),
    importId: p.integer(),
    /** at most XML_LIMITS.sourceIdLength (100) characters: the verifier rejects longer ones */
    sourceId: p.string().length(100),
    position: p.integer(),
    state: p.string().length(16),
    data: p.json<CanonicalCustomer>(),
    edit: p.json<CustomerEdit>().nullable(),
    emailLower: p.string().length(320),
    /** lower-cased e-mail, names, login, city: what the list's search box matches */
    searchText: p.text(),
    errors: p.json<CustomerError[]>().nullable(),
    /** " CODE1 CODE2 " so the list can filter by error code with LIKE */
    errorCodes: p.string().length(500).default(''),
    login: p.string().length(100).default(''),
    panelCustomerId: p.string().length(64).nullable(),
    importedAt: p.datetime().nullable(),
    /** set while one request's batch holds the row: a second click cannot claim it too */
    claimToken: p.string().length(40).nullable(),
    claimedAt: p.datetime().nullable(),
    notifyState: p.string().length(16).default('none'),
    notifiedAt: p.datetime().nullable(),
    notifyError: p.string().length(500).nullable(),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
})
export type BufferCustomerRow = InferEntity<typeof BufferCustomerEntity>
