/**
 * Klienci niezaimportowani of one import: the query (search, state, error code), keyset pages,
 * the selection (ids only, or "all matching" the filter) and the import / Pomiń calls.
 */
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type {
  BufferFilter,
  BufferState,
  BufferedCustomer,
  CustomerEdit,
  CustomerErrorCode,
  ImportCounts,
  ImportCustomersResponse,
  ImportStatus,
} from '@cm/contracts'
import { api } from '../api/client.ts'
import { ok } from '../api/client.ts'
import { settlePoller } from './settle.poller.ts'
import { useKeysetList } from './keyset.list.ts'

export const BUFFER_PAGE_SIZE = 50
/** the dialog walks through at most this many ticked customers; more get a summary confirmation */
export const DIALOG_LIMIT = 50
/** the API takes at most this many ids per request */
const IDS_PER_REQUEST = 500

/** The state filter of the list; `open` (pending and failed: what can still be imported) is the default. */
export const STATE_FILTERS = ['open', 'pending', 'failed', 'skipped', 'all'] as const
export type StateFilter = (typeof STATE_FILTERS)[number]
const STATES: Record<StateFilter, BufferState[]> = {
  open: ['pending', 'failed'],
  pending: ['pending'],
  failed: ['failed'],
  skipped: ['skipped'],
  all: ['pending', 'failed', 'skipped'],
}

export interface BatchResult {
  imported: number
  failed: number
  skipped: number
}

/** What the import dialog did before it closed. */
export interface DialogSummary extends BatchResult {
  /** ids imported, failed or skipped there (they leave the selection) */
  handled: string[]
}

/** Only pending and failed customers can be imported or skipped. */
export const isSelectable = (r: Pick<BufferedCustomer, 'state'>): boolean => r.state === 'pending' || r.state === 'failed'

export const useBufferStore = defineStore('cm-buffer', () => {
  const importId = ref('')
  const q = ref('')
  const stateFilter = ref<StateFilter>('open')
  const errorCode = ref<CustomerErrorCode | ''>('')

  const list = useKeysetList<BufferedCustomer>(BUFFER_PAGE_SIZE, (cursor) =>
    ok(
      api().imports[':id'].buffer.$get({
        param: { id: importId.value },
        query: {
          state: STATES[stateFilter.value].join(','),
          limit: String(BUFFER_PAGE_SIZE),
          ...(q.value.trim() ? { q: q.value.trim() } : {}),
          ...(errorCode.value ? { errorCode: errorCode.value } : {}),
          ...(cursor ? { cursor } : {}),
        },
      }),
    ),
  )

  // ---- selection: ids only; row snapshots are kept just for the dialog (≤ DIALOG_LIMIT)
  const selected = ref(new Set<string>())
  const allMatching = ref(false)
  const snapshots = new Map<string, BufferedCustomer>()

  const selectedCount = computed(() => (allMatching.value ? list.total.value : selected.value.size))
  const selectablePageIds = computed(() => list.items.value.filter(isSelectable).map((r) => r.id))
  const pageSelected = computed(
    () => allMatching.value || (selectablePageIds.value.length > 0 && selectablePageIds.value.every((id) => selected.value.has(id))),
  )
  /** "all matching" makes sense only where every matching row could be imported (no skipped rows) */
  const canSelectAllMatching = computed(() => !STATES[stateFilter.value].includes('skipped') && list.total.value > 0)

  function isSelected(id: string): boolean {
    return allMatching.value || selected.value.has(id)
  }

  function toggle(row: BufferedCustomer, on = !selected.value.has(row.id)): void {
    if (!isSelectable(row)) return
    if (allMatching.value) {
      // leaving "all matching": keep the visible page ticked, minus this row
      allMatching.value = false
      for (const r of list.items.value.filter(isSelectable)) add(r)
    }
    if (on) add(row)
    else remove(row.id)
  }

  function add(row: BufferedCustomer): void {
    selected.value.add(row.id)
    if (snapshots.size < DIALOG_LIMIT) snapshots.set(row.id, row)
  }
  function remove(id: string): void {
    selected.value.delete(id)
    snapshots.delete(id)
  }

  function selectPage(on: boolean): void {
    if (allMatching.value && !on) {
      clearSelection()
      return
    }
    for (const r of list.items.value.filter(isSelectable)) {
      if (on) add(r)
      else remove(r.id)
    }
  }

  function selectAllMatching(): void {
    if (!canSelectAllMatching.value) return
    clearSelection()
    allMatching.value = true
  }

  function clearSelection(): void {
    selected.value.clear()
    snapshots.clear()
    allMatching.value = false
  }

  /** The ticked customers' rows for the dialog, or null when they are too many or not all known. */
  function selectedForDialog(): BufferedCustomer[] | null {
    if (allMatching.value || selected.value.size === 0 || selected.value.size > DIALOG_LIMIT) return null
    const rows = [...selected.value].map((id) => snapshots.get(id))
    return rows.every((r) => r !== undefined) ? (rows as BufferedCustomer[]) : null
  }

  /** "Everything matching" as the API takes it (skipped rows are never imported by `all`). */
  function filter(): BufferFilter {
    const state = STATES[stateFilter.value].filter((s): s is 'pending' | 'failed' => s === 'pending' || s === 'failed')
    return {
      ...(state.length ? { state } : {}),
      ...(q.value.trim() ? { q: q.value.trim() } : {}),
      ...(errorCode.value ? { errorCode: [errorCode.value] } : {}),
    }
  }

  // ---- the import and its counts
  const status = ref<ImportStatus | null>(null)
  const counts = ref<ImportCounts | null>(null)
  const queued = ref(0)
  const lastResult = ref<BatchResult | null>(null)
  const busy = ref(false)

  async function open(id: string): Promise<void> {
    if (id !== importId.value) {
      stopPolling()
      importId.value = id
      q.value = ''
      stateFilter.value = 'open'
      errorCode.value = ''
      clearSelection()
      lastResult.value = null
      queued.value = 0
      list.clear()
    }
    list.reset()
    await Promise.all([list.load(), refreshCounts().catch(() => {})])
  }

  async function setQuery(next: { q?: string; stateFilter?: StateFilter; errorCode?: CustomerErrorCode | '' }): Promise<void> {
    if (next.q !== undefined) q.value = next.q
    if (next.stateFilter !== undefined) stateFilter.value = next.stateFilter
    if (next.errorCode !== undefined) errorCode.value = next.errorCode
    // "all matching" belonged to the old filter; ticked ids stay ticked
    allMatching.value = false
    list.reset()
    await list.load()
  }

  async function refreshCounts(): Promise<void> {
    const d = await ok(api().imports[':id'].$get({ param: { id: importId.value } }))
    counts.value = d.counts
    status.value = d.status
  }

  /** Imports these ids (in requests of at most 500); edits go with the request that carries their id. */
  async function importIds(ids: string[], edits?: Record<string, CustomerEdit>): Promise<ImportCustomersResponse> {
    const out: ImportCustomersResponse = { results: [], imported: 0, failed: 0, queued: 0 }
    for (let i = 0; i < ids.length; i += IDS_PER_REQUEST) {
      const chunk = ids.slice(i, i + IDS_PER_REQUEST)
      const chunkEdits = edits ? Object.fromEntries(Object.entries(edits).filter(([id]) => chunk.includes(id))) : {}
      const res = await ok(
        api().imports[':id'].buffer.import.$post({
          param: { id: importId.value },
          json: Object.keys(chunkEdits).length ? { ids: chunk, edits: chunkEdits } : { ids: chunk },
        }),
      )
      out.results.push(...res.results)
      out.imported += res.imported
      out.failed += res.failed
    }
    return out
  }

  /** One customer from the dialog; only the fields the admin changed travel as its edit. */
  function importOne(id: string, edit?: CustomerEdit): Promise<ImportCustomersResponse> {
    return importIds([id], edit && Object.keys(edit).length ? { [id]: edit } : undefined)
  }

  async function skipIds(ids: string[]): Promise<number> {
    let skipped = 0
    for (let i = 0; i < ids.length; i += IDS_PER_REQUEST) {
      const res = await ok(api().imports[':id'].buffer.skip.$post({ param: { id: importId.value }, json: { ids: ids.slice(i, i + IDS_PER_REQUEST) } }))
      skipped += res.skipped
    }
    return skipped
  }

  /** Przywróć: skipped customers back to the list to import. */
  async function restore(ids: string[]): Promise<number> {
    busy.value = true
    try {
      const res = await ok(api().imports[':id'].buffer.restore.$post({ param: { id: importId.value }, json: { ids } }))
      await Promise.all([list.load(), refreshCounts().catch(() => {})])
      return res.restored
    } finally {
      busy.value = false
    }
  }

  /** After a batch: the handled ids leave the selection, the list and counts are read again. */
  async function finishBatch(handled: string[], result: BatchResult): Promise<void> {
    for (const id of handled) remove(id)
    lastResult.value = result
    await Promise.all([list.load(), refreshCounts().catch(() => {})])
  }

  /** Importuj klientów do bazy sklepu without the dialog: the ticked ids, or everything matching. */
  async function importSelection(): Promise<void> {
    if (busy.value || selectedCount.value === 0) return
    busy.value = true
    try {
      if (allMatching.value) {
        const res = await ok(api().imports[':id'].buffer.import.$post({ param: { id: importId.value }, json: { all: true, filter: filter() } }))
        clearSelection()
        lastResult.value = null
        queued.value = res.queued
        startPolling()
        await list.load()
        return
      }
      const ids = [...selected.value]
      const res = await importIds(ids)
      await finishBatch(ids, { imported: res.imported, failed: res.failed, skipped: 0 })
    } finally {
      busy.value = false
    }
  }

  /** Pomiń for the ticked ids (not for "all matching": the API skips by ids only). */
  async function skipSelection(): Promise<void> {
    if (busy.value || allMatching.value || selected.value.size === 0) return
    busy.value = true
    try {
      const ids = [...selected.value]
      const skipped = await skipIds(ids)
      await finishBatch(ids, { imported: 0, failed: 0, skipped })
    } finally {
      busy.value = false
    }
  }

  /** While a queued import runs: counts and the list until nothing is pending or nothing moves. */
  const poller = settlePoller(
    async () => {
      await refreshCounts()
      await list.load()
      return { key: JSON.stringify(counts.value), done: counts.value?.pending === 0 }
    },
    () => (queued.value = 0),
  )
  const startPolling = poller.start
  const stopPolling = poller.stop

  return {
    importId,
    q,
    stateFilter,
    errorCode,
    items: list.items,
    total: list.total,
    totalCapped: list.totalCapped,
    loading: list.loading,
    loaded: list.loaded,
    loadError: list.error,
    range: list.range,
    hasPrev: list.hasPrev,
    hasNext: list.hasNext,
    pageIndex: list.pageIndex,
    load: list.load,
    nextPage: list.next,
    prevPage: list.prev,
    selected,
    allMatching,
    selectedCount,
    pageSelected,
    canSelectAllMatching,
    isSelected,
    toggle,
    selectPage,
    selectAllMatching,
    clearSelection,
    selectedForDialog,
    filter,
    status,
    counts,
    queued,
    lastResult,
    busy,
    open,
    setQuery,
    refreshCounts,
    importIds,
    importOne,
    skipIds,
    finishBatch,
    importSelection,
    skipSelection,
    restore,
    startPolling,
    stopPolling,
  }
})
