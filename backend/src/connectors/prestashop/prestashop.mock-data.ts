/** What happens to a shop's data while it is read: registrations and deletions. */
import { prng } from '../demo/demo-pools.ts'
import { maxOf } from '../mock-kit/key-order.ts'
import { demoSecrets, psDate } from './prestashop.demo-data.ts'
import type { PrestaShopDataset } from './prestashop.records.ts'

/** A customer signs up now: the next id (AUTO_INCREMENT), one address, its own secrets. Answers its id. */
export function registerCustomer(data: PrestaShopDataset): string {
  const id = maxOf(data.customers, (c) => c.id) + 1
  const template = data.customers.find((c) => c.is_guest === 0 && c.deleted === 0)
  if (!template) throw new Error('prestashop mock: no customer to model a registration on')
  const now = psDate(Date.UTC(2026, 0, 15, 12, 0, 0))
  data.customers.push({
    ...template,
    ...demoSecrets(prng(id), false),
    id,
    email: `nowy.klient${id}@example.com`,
    firstname: 'Nowy',
    lastname: 'Klient',
    newsletter: 0,
    newsletter_date_add: null,
    date_add: now,
    date_upd: now,
    reset_password_validity: null,
    groups: [...template.groups],
  })
  const address = data.addresses.find((a) => a.id_customer === template.id && a.deleted === 0)
  if (address) {
    const addressId = maxOf(data.addresses, (a) => a.id) + 1
    data.addresses.push({ ...address, id: addressId, id_customer: id, firstname: 'Nowy', lastname: 'Klient', date_add: now, date_upd: now })
  }
  return String(id)
}

/**
 * A customer is deleted in the back office: without orders the row goes with its addresses
 * (Customer::delete); `soft` keeps it with deleted "1" and its addresses marked deleted too
 * (Customer::update), as for a customer with orders.
 */
export function deleteCustomer(data: PrestaShopDataset, id: number, soft: boolean): void {
  if (soft) {
    for (const c of data.customers) if (c.id === id) c.deleted = 1
    for (const a of data.addresses) if (a.id_customer === id) a.deleted = 1
    return
  }
  data.customers = data.customers.filter((c) => c.id !== id)
  data.addresses = data.addresses.filter((a) => a.id_customer !== id)
}
