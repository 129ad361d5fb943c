/** The panel's shops, from its own table (seeded with three). */
import type { ShopsPort } from '@cm/backend'
import { PanelShop } from '../db/shop.entity.ts'
import type { PanelDb } from '../orm.ts'

export function createShopsPort(db: PanelDb): ShopsPort {
  return {
    async list() {
      const shops = await db.fork().find(PanelShop, {}, { orderBy: { id: 'asc' } })
      return shops.map((s) => ({ id: s.id, name: s.name, language: s.language, currency: s.currency }))
    },
  }
}
