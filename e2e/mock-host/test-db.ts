/** For tests: the panel's ORM on in-memory SQLite, with the three shops. */
import type { MikroORM } from '@mikro-orm/core'
import { PanelShop } from './db/shop.entity.ts'
import { createPanelOrm, panelDb, type PanelDb } from './orm.ts'
import { SEED_SHOPS } from './seed.ts'

export async function memoryPanel(opts: { shops?: boolean } = {}): Promise<{ orm: MikroORM; db: PanelDb }> {
  const orm = await createPanelOrm({ db: { kind: 'sqlite', path: ':memory:' } })
  const db = panelDb(orm)
  if (opts.shops !== false) {
    const em = db.fork()
    for (const s of SEED_SHOPS) em.create(PanelShop, { ...s })
    await em.flush()
  }
  return { orm, db }
}
