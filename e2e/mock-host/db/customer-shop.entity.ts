/** Which shops a panel customer's account is active in. */
import { defineEntity, p, type InferEntity } from '@mikro-orm/core'
import { PanelCustomer } from './customer.entity.ts'

export const PanelCustomerShop = defineEntity({
  name: 'PanelCustomerShop',
  tableName: 'panel_customer_shop',
  properties: {
    id: p.integer().primary().autoincrement(),
    customer: () => p.manyToOne(PanelCustomer).deleteRule('cascade'),
    shopId: p.string().length(16),
  },
  uniques: [{ properties: ['customer', 'shopId'] }],
})
export type IPanelCustomerShop = InferEntity<typeof PanelCustomerShop>
