/**
 * Mail po zaimportowaniu klientów przez support, per shop: the shops, the template, the drafts
 * of subject and body with the contract's own validation, and Zapisz. A 403 on Zapisz (an
 * operator) switches the page to read-only.
 */
import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import { UpdateTemplateRequest, type Shop, type Template } from '@cm/contracts'
import { api, ApiError } from '../api/client.ts'
import { ok } from '../api/client.ts'
import type { Screen } from './nav.store.ts'

export type TemplateIssue = 'required' | 'tooLong' | 'missingLink'

export const useTemplateStore = defineStore('cm-template', () => {
  const shops = shallowRef<Shop[]>([])
  const shopId = ref('')
  const template = shallowRef<Template | null>(null)
  const subject = ref('')
  const body = ref('')
  const loading = ref(false)
  const loadError = ref<unknown>(null)
  const saving = ref(false)
  const saveError = ref<unknown>(null)
  const savedAt = ref<string | null>(null)
  /** the caller may not change templates (the API said 403) */
  const readOnly = ref(false)
  /** where "Wróć" leads (set by the screen that opened the template page) */
  const returnTo = ref<Screen | null>(null)

  const shop = computed(() => shops.value.find((s) => s.id === shopId.value) ?? null)
  const dirty = computed(() => template.value !== null && (subject.value !== template.value.subject || body.value !== template.value.body))

  /** The contract's UpdateTemplateRequest, per field, as codes the page translates. */
  const issues = computed(() => {
    const out: Partial<Record<'subject' | 'body', TemplateIssue>> = {}
    const r = UpdateTemplateRequest.safeParse({ subject: subject.value, body: body.value })
    if (r.success) return out
    for (const i of r.error.issues) {
      const field = i.path[0]
      if ((field !== 'subject' && field !== 'body') || out[field]) continue
      out[field] = i.code === 'too_small' ? 'required' : i.code === 'too_big' ? 'tooLong' : 'missingLink'
    }
    return out
  })
  const valid = computed(() => Object.keys(issues.value).length === 0)

  async function open(preferredShopId?: string): Promise<void> {
    loading.value = true
    loadError.value = null
    try {
      if (shops.value.length === 0) shops.value = (await ok(api().shops.$get())).items
      const id = preferredShopId && shops.value.some((s) => s.id === preferredShopId) ? preferredShopId : (shops.value[0]?.id ?? '')
      if (id) await load(id)
    } catch (e) {
      loadError.value = e
    } finally {
      loading.value = false
    }
  }

  async function load(id: string): Promise<void> {
    shopId.value = id
    savedAt.value = null
    saveError.value = null
    const t = await ok(api().templates[':shopId']['customer-imported'].$get({ param: { shopId: id } }))
    if (shopId.value !== id) return
    template.value = t
    // the API says who may change it; a 403 on Zapisz remains the last word
    readOnly.value = !t.editable
    subject.value = t.subject
    body.value = t.body
  }

  async function selectShop(id: string): Promise<void> {
    loading.value = true
    loadError.value = null
    try {
      await load(id)
    } catch (e) {
      loadError.value = e
    } finally {
      loading.value = false
    }
  }

  async function save(): Promise<boolean> {
    if (!valid.value || readOnly.value || saving.value || !shopId.value) return false
    saving.value = true
    saveError.value = null
    try {
      const t = await ok(
        api().templates[':shopId']['customer-imported'].$put({ param: { shopId: shopId.value }, json: { subject: subject.value, body: body.value } }),
      )
      template.value = t
      subject.value = t.subject
      body.value = t.body
      savedAt.value = t.updatedAt ?? new Date().toISOString()
      return true
    } catch (e) {
      if (e instanceof ApiError && e.status === 403) {
        // read-only from now on, showing the template as it is (the change was not saved)
        readOnly.value = true
        revert()
      } else saveError.value = e
      return false
    } finally {
      saving.value = false
    }
  }

  function revert(): void {
    if (!template.value) return
    subject.value = template.value.subject
    body.value = template.value.body
  }

  return {
    shops,
    shopId,
    shop,
    template,
    subject,
    body,
    loading,
    loadError,
    saving,
    saveError,
    savedAt,
    readOnly,
    returnTo,
    dirty,
    issues,
    valid,
    open,
    selectShop,
    save,
    revert,
  }
})
