/** Step 8: the admin changes a buffered customer's fields; the Błędy column is re-checked at once. */
import type { EntityManager } from '@mikro-orm/core'
import type { CustomerEdit, Locale } from '@cm/contracts'
import type { ModuleContext } from '../../context.ts'
import { BufferCustomerEntity, type BufferCustomerRow } from '../../db/buffer-customer.entity.ts'
import { HttpError, conflict, notFound } from '../../http/http-error.ts'
import { prepareForPanel } from '@cm/contracts/rules'
import { validateCustomer } from '@cm/contracts/rules'
import { externalRefOf } from '../import/import.stage.ts'
import { derivedColumns, effectiveCustomer } from './buffer.rows.ts'

export function mergeEdit(old: CustomerEdit | null | undefined, next: CustomerEdit): CustomerEdit {
  const billingAddress = old?.billingAddress || next.billingAddress ? { ...old?.billingAddress, ...next.billingAddress } : undefined
  return { ...old, ...next, ...(billingAddress ? { billingAddress } : {}) }
}

export async function saveEdit(
  ctx: ModuleContext,
  em: EntityManager,
  importId: number,
  id: number,
  edit: CustomerEdit,
  locale: Locale,
): Promise<BufferCustomerRow> {
  const row = await em.findOne(BufferCustomerEntity, { id, importId })
  if (!row) throw notFound()
  if (row.state !== 'pending' && row.state !== 'failed') throw conflict()
  const merged = mergeEdit(row.edit, edit)
  const c = effectiveCustomer(row.data, merged)
  const derived = derivedColumns(c)
  const shops = await ctx.ports.shops.list()
  const panel = prepareForPanel(c, { shopIds: [], login: derived.login, externalRef: externalRefOf(importId, row.sourceId) })
  // shop links are the import's, checked at import; here only the customer's own fields
  const errors = validateCustomer(panel, { knownShopIds: new Set(shops.map((s) => s.id)), locale })
  const n = await em.nativeUpdate(
    BufferCustomerEntity,
    { id, state: { $in: ['pending', 'failed'] } },
    {
      edit: merged,
      ...derived,
      errors: errors.length ? errors : null,
      errorCodes: errors.length ? ` ${errors.map((e) => e.code).join(' ')} ` : '',
      state: errors.length ? 'failed' : 'pending',
      updatedAt: ctx.clock.now(),
    },
  )
  if (n === 0) throw new HttpError(409, 'IMPORT_STATE_CONFLICT')
  return (await em.findOne(BufferCustomerEntity, { id }, { refresh: true }))!
}
