/**
 * Klienci zaimportowani of one import: keyset pages (search, notified filter), the selection
 * (ids only) and the notification (Poinformowano klienta o założeniu konta), its preview and resend.
 */
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { ImportSummary, ImportedCustomer, MailPreview, NotifyResponse } from '@cm/contracts'
import { api } from '../api/client.ts'
import { ok } from '../api/client.ts'
import { useKeysetList } from './keyset.list.ts'
import { settlePoller } from './settle.poller.ts'

export const IMPORTED_PAGE_SIZE = 50
const IDS_PER_REQUEST = 500

export type NotifiedFilter = '' | 'true' | 'false'

export interface NotifySummary {
  sent: number
  failed: number
  alreadyNotified: number
}

export const useImportedStore = defineStore('cm-imported', () => {
  const importId = ref('')
  const q = ref('')
  const notified = ref<NotifiedFilter>('')
  const summary = ref<ImportSummary | null>(null)

  const list = useKeysetList<ImportedCustomer>(IMPORTED_PAGE_SIZE, (cursor) =>
    ok(
      api().imports[':id'].imported.$get({
        param: { id: importId.value },
        query: {
          limit: String(IMPORTED_PAGE_SIZE),
          ...(q.value.trim() ? { q: q.value.trim() } : {}),
          ...(notified.value ? { notified: notified.value } : {}),
          ...(cursor ? { cursor } : {}),
        },
      }),
    ),
  )

  const selected = ref(new Set<string>())
  const selectedCount = computed(() => selected.value.size)
  const pageSelected = computed(() => list.items.value.length > 0 && list.items.value.every((r) => selected.value.has(r.id)))

  function toggle(id: string, on = !selected.value.has(id)): void {
    if (on) selected.value.add(id)
    else selected.value.delete(id)
  }
  function selectPage(on: boolean): void {
    for (const r of list.items.value) toggle(r.id, on)
  }
  function clearSelection(): void {
    selected.value.clear()
  }

  const lastResult = ref<NotifySummary | null>(null)
  const queued = ref(0)
  const busy = ref(false)

  async function open(id: string): Promise<void> {
    if (id !== importId.value) {
      stopPolling()
      importId.value = id
      q.value = ''
      notified.value = ''
      summary.value = null
      clearSelection()
      lastResult.value = null
      queued.value = 0
      list.clear()
    }
    list.reset()
    await Promise.all([list.load(), refreshSummary().catch(() => {})])
  }

  /** The import itself: its shops (the template is the first shop's) and counts. */
  async function refreshSummary(): Promise<void> {
    summary.value = await ok(api().imports[':id'].$get({ param: { id: importId.value } }))
  }

  async function setQuery(next: { q?: string; notified?: NotifiedFilter }): Promise<void> {
    if (next.q !== undefined) q.value = next.q
    if (next.notified !== undefined) notified.value = next.notified
    list.reset()
    await list.load()
  }

  /** Sends to these ids; `resend` also to customers already informed (an explicit choice of the admin). */
  async function notify(ids: string[], resend = false): Promise<NotifySummary> {
    if (busy.value) return { sent: 0, failed: 0, alreadyNotified: 0 }
    busy.value = true
    try {
      const out: NotifySummary = { sent: 0, failed: 0, alreadyNotified: 0 }
      for (let i = 0; i < ids.length; i += IDS_PER_REQUEST) {
        const chunk = ids.slice(i, i + IDS_PER_REQUEST)
        const res: NotifyResponse = await ok(
          api().imports[':id'].imported.notify.$post({ param: { id: importId.value }, json: resend ? { ids: chunk, resend: true } : { ids: chunk } }),
        )
        out.sent += res.sent
        out.failed += res.results.filter((r) => !r.sent && !r.alreadyNotified).length
        out.alreadyNotified += res.results.filter((r) => r.alreadyNotified).length
      }
      for (const id of ids) selected.value.delete(id)
      lastResult.value = out
      await Promise.all([list.load(), refreshSummary().catch(() => {})])
      return out
    } finally {
      busy.value = false
    }
  }

  /** Everyone not informed yet, in the background: the list is read again until nothing moves. */
  async function notifyAll(): Promise<number> {
    if (busy.value) return 0
    busy.value = true
    try {
      const res = await ok(api().imports[':id'].imported.notify.$post({ param: { id: importId.value }, json: { all: true } }))
      lastResult.value = null
      queued.value = res.queued
      if (res.queued > 0) startPolling()
      return res.queued
    } finally {
      busy.value = false
    }
  }

  function preview(customerId: string): Promise<MailPreview> {
    return ok(api().imports[':id'].imported[':customerId'].preview.$get({ param: { id: importId.value, customerId } }))
  }

  /** Polls the number of customers not informed until it is 0 or stops moving (failed sends stay). */
  const poller = settlePoller(
    async () => {
      const page = await ok(api().imports[':id'].imported.$get({ param: { id: importId.value }, query: { notified: 'false', limit: '1' } }))
      await Promise.all([list.load(), refreshSummary()])
      return { key: String(page.total), done: page.total === 0 }
    },
    () => (queued.value = 0),
  )
  const startPolling = poller.start
  const stopPolling = poller.stop

  return {
    importId,
    q,
    notified,
    summary,
    items: list.items,
    total: list.total,
    totalCapped: list.totalCapped,
    loading: list.loading,
    loaded: list.loaded,
    loadError: list.error,
    range: list.range,
    hasPrev: list.hasPrev,
    hasNext: list.hasNext,
    load: list.load,
    nextPage: list.next,
    prevPage: list.prev,
    selected,
    selectedCount,
    pageSelected,
    toggle,
    selectPage,
    clearSelection,
    lastResult,
    queued,
    busy,
    open,
    refreshSummary,
    setQuery,
    notify,
    notifyAll,
    preview,
    startPolling,
    stopPolling,
  }
})
