/** A transactional mail template of one shop, as stored by the panel. */
import { defineEntity, p, type InferEntity } from '@mikro-orm/core'

export const PanelTemplate = defineEntity({
  name: 'PanelTemplate',
  tableName: 'panel_template',
  properties: {
    id: p.integer().primary().autoincrement(),
    shopId: p.string().length(16),
    templateId: p.string().length(100),
    subject: p.string().length(300),
    body: p.text(),
    updatedAt: p.datetime(),
  },
  uniques: [{ properties: ['shopId', 'templateId'] }],
})
export type IPanelTemplate = InferEntity<typeof PanelTemplate>
