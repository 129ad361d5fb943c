/** Every entity the panel itself owns; the module's entities are registered next to these. */
import { PanelCustomerShop } from './customer-shop.entity.ts'
import { PanelCustomer } from './customer.entity.ts'
import { PanelDeliveryAddress } from './delivery-address.entity.ts'
import { PanelSession } from './session.entity.ts'
import { PanelShop } from './shop.entity.ts'
import { PanelTemplate } from './template.entity.ts'

export { PanelCustomer, PanelCustomerShop, PanelDeliveryAddress, PanelSession, PanelShop, PanelTemplate }

export const PANEL_ENTITIES = [
  PanelShop,
  PanelCustomer,
  PanelCustomerShop,
  PanelDeliveryAddress,
  PanelTemplate,
  PanelSession,
]
