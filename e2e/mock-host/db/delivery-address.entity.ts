/** A panel customer's extra delivery address (the billing address lives on the customer). */
import { defineEntity, p, type InferEntity } from '@mikro-orm/core'
import { CUSTOMER_LIMITS as L, PanelCustomer } from './customer.entity.ts'

export const PanelDeliveryAddress = defineEntity({
  name: 'PanelDeliveryAddress',
  tableName: 'panel_delivery_address',
  properties: {
    id: p.integer().primary().autoincrement(),
    customer: () => p.manyToOne(PanelCustomer).deleteRule('cascade'),
    firstName: p.string().length(L.firstName),
    lastName: p.string().length(L.lastName),
    company: p.string().length(L.company),
    street: p.string().length(L.street),
    postcode: p.string().length(L.postcode),
    city: p.string().length(L.city),
    countryCode: p.string().length(L.countryCode),
    phone: p.string().length(L.phone),
  },
})
export type IPanelDeliveryAddress = InferEntity<typeof PanelDeliveryAddress>
