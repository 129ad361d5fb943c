/** Transactional templates stored by the panel, one per (shop, template id). */
import { UniqueConstraintViolationException } from '@mikro-orm/core'
import type { StoredTemplate, TemplatesPort } from '@cm/backend'
import { PanelTemplate, type IPanelTemplate } from '../db/template.entity.ts'
import type { PanelDb } from '../orm.ts'

function stored(t: IPanelTemplate): StoredTemplate {
  return { subject: t.subject, body: t.body, updatedAt: t.updatedAt.toISOString() }
}

export function createTemplatesPort(db: PanelDb): TemplatesPort {
  async function put(shopId: string, templateId: string, t: { subject: string; body: string }): Promise<StoredTemplate> {
    const em = db.fork()
    const row = await em.findOne(PanelTemplate, { shopId, templateId })
    const updatedAt = new Date()
    if (row) {
      Object.assign(row, { subject: t.subject, body: t.body, updatedAt })
      await em.flush()
      return stored(row)
    }
    const created = em.create(PanelTemplate, { shopId, templateId, subject: t.subject, body: t.body, updatedAt })
    await em.flush()
    return stored(created)
  }
  return {
    async get(shopId, templateId) {
      const row = await db.fork().findOne(PanelTemplate, { shopId, templateId })
      return row ? stored(row) : null
    },
    async put(shopId, templateId, t) {
      try {
        return await put(shopId, templateId, t)
      } catch (err) {
        // two first saves at once: the loser updates the winner's row
        if (err instanceof UniqueConstraintViolationException) return put(shopId, templateId, t)
        throw err
      }
    },
  }
}
