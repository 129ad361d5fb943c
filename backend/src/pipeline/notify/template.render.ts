/** Fills {{placeholders}} of the transactional template; unknown ones stay visible to be fixed. */
import { DEFAULT_TEMPLATE, TEMPLATE_ID, TEMPLATE_PLACEHOLDERS, type Template, type TemplatePlaceholder } from '@cm/contracts'
import type { ModuleContext } from '../../context.ts'

export function renderTemplate(text: string, vars: Record<TemplatePlaceholder, string>): string {
  return text.replace(/\{\{\s*(\w+)\s*\}\}/g, (m, k: string) => ((TEMPLATE_PLACEHOLDERS as readonly string[]).includes(k) ? vars[k as TemplatePlaceholder] : m))
}

export async function loadTemplate(ctx: ModuleContext, shopId: string): Promise<Template> {
  const stored = await ctx.ports.templates.get(shopId, TEMPLATE_ID)
  return {
    shopId,
    subject: stored?.subject ?? DEFAULT_TEMPLATE.subject,
    body: stored?.body ?? DEFAULT_TEMPLATE.body,
    updatedAt: stored?.updatedAt ?? null,
    placeholders: [...TEMPLATE_PLACEHOLDERS],
  }
}
