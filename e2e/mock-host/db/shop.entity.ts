/** A shop of the panel (the panel can run several); customers are linked to shops. */
import { defineEntity, p, type InferEntity } from '@mikro-orm/core'

export const PanelShop = defineEntity({
  name: 'PanelShop',
  tableName: 'panel_shop',
  properties: {
    id: p.string().length(16).primary(),
    name: p.string().length(200),
    language: p.string().length(8),
    currency: p.string().length(3),
  },
})
export type IPanelShop = InferEntity<typeof PanelShop>
