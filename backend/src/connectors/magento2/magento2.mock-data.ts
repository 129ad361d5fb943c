/** What happens to a shop's data while it is read: registrations and deletions. */
import { maxOf } from '../mock-kit/key-order.ts'
import { magentoDate } from './magento2.demo-data.ts'
import type { MagentoCustomerRecord, MagentoDataset } from './magento2.records.ts'

/** A customer signs up now: the next entity_id (AUTO_INCREMENT), one address (the next address id). Answers its id. */
export function registerCustomer(data: MagentoDataset, now = Date.now()): string {
  const id = maxOf(data.customers, (c) => c.id) + 1
  const addressId = maxOf(data.customers, (c) => maxOf(c.addresses, (a) => a.id)) + 1
  const at = magentoDate(now)
  const customer: MagentoCustomerRecord = {
    id,
    group_id: 1,
    default_billing: String(addressId),
    default_shipping: String(addressId),
    created_at: at,
    updated_at: at,
    created_in: 'Polski',
    email: `nowy.klient${id}@example.com`,
    firstname: 'Nowy',
    lastname: 'Klient',
    store_id: data.storeConfigs[0]?.id ?? 1,
    website_id: 1,
    addresses: [
      {
        id: addressId,
        customer_id: id,
        region: { region_id: 0 },
        region_id: 0,
        country_id: 'PL',
        street: ['ul. Nowa 1'],
        telephone: '+48 600 100 200',
        postcode: '00-001',
        city: 'Warszawa',
        firstname: 'Nowy',
        lastname: 'Klient',
      },
    ],
    disable_auto_group_change: 0,
  }
  data.customers.push(customer)
  return String(id)
}

/** CustomerRepository::deleteById: the row goes with its addresses; Newsletter's plugin deletes the subscriber row too. */
export function deleteCustomer(data: MagentoDataset, id: number): void {
  const gone = data.customers.find((c) => c.id === id)
  data.customers = data.customers.filter((c) => c.id !== id)
  if (gone) data.subscribers = data.subscribers.filter((s) => s.email.toLowerCase() !== gone.email.toLowerCase())
}
