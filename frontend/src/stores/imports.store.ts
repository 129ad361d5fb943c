/**
 * The import list (keyset paging, refresh in place), one import's details, the row actions
 * (usuń źródło, Sprawdź i zaimportuj, Wznów pobieranie, upload) and the live updates of
 * running imports over server-sent events. EventSources are created only here.
 */
import { defineStore } from 'pinia'
import { ref, shallowRef } from 'vue'
import type { ImportDetails, ImportEvent, ImportStatus, ImportSummary } from '@cm/contracts'
import { LIST_LIMIT_MAX } from '../contract/first-screen.data.ts'
import { contractChecks } from '../contract/checks.ts'
import { api, apiBase } from '../api/client.ts'
import { ok } from '../api/client.ts'

/** statuses in which the backend is working on the import and sends events */
export const LIVE_STATUSES: readonly ImportStatus[] = ['awaiting_xml', 'verifying']
export const isLive = (s: ImportStatus) => LIVE_STATUSES.includes(s)

export type RowAction = 'delete' | 'verify' | 'resume'
export interface StatusChange {
  importId: string
  status: ImportStatus
  /** grows with each change, so that the same status announced twice still triggers watchers */
  seq: number
}

const PAGE = 50

export const useImportsStore = defineStore('cm-imports', () => {
  const items = ref<ImportSummary[]>([])
  const nextCursor = ref<string | null>(null)
  const total = ref(0)
  /** the first page has been loaded at least once */
  const loaded = ref(false)
  const loading = ref(false)
  const loadingMore = ref(false)
  const error = shallowRef<unknown>(null)
  const details = ref<Record<string, ImportDetails>>({})
  const busy = ref<Record<string, RowAction | undefined>>({})
  /** the row to highlight and focus (a newly created import) */
  const highlightId = ref<string | null>(null)
  const lastChange = ref<StatusChange | null>(null)
  let seq = 0

  function put(summary: ImportSummary | ImportDetails) {
    const i = items.value.findIndex((x) => x.id === summary.id)
    const row: ImportSummary = {
      id: summary.id,
      platform: summary.platform,
      domain: summary.domain,
      shops: summary.shops,
      status: summary.status,
      progress: summary.progress,
      counts: summary.counts,
      origin: summary.origin,
      createdAt: summary.createdAt,
      updatedAt: summary.updatedAt,
    }
    if (i >= 0) items.value[i] = row
    return i >= 0
  }

  function noteStatus(id: string, before: ImportStatus | undefined, after: ImportStatus) {
    if (before !== undefined && before !== after) lastChange.value = { importId: id, status: after, seq: ++seq }
  }

  /** first page; used on entering the list */
  async function load(): Promise<void> {
    loading.value = true
    error.value = null
    try {
      const page = await ok(api().imports.$get({ query: { limit: String(PAGE) } }))
      items.value = page.items
      nextCursor.value = page.nextCursor
      total.value = page.total
      loaded.value = true
    } catch (e) {
      error.value = e
    } finally {
      loading.value = false
    }
  }

  /** re-reads the rows already shown, in place (no emptying, no layout jump) */
  async function refresh(): Promise<void> {
    if (!loaded.value) return load()
    error.value = null
    try {
      const limit = Math.min(LIST_LIMIT_MAX, Math.max(PAGE, items.value.length))
      const page = await ok(api().imports.$get({ query: { limit: String(limit) } }))
      for (const row of page.items) noteStatus(row.id, items.value.find((x) => x.id === row.id)?.status, row.status)
      items.value = page.items
      nextCursor.value = page.nextCursor
      total.value = page.total
    } catch (e) {
      error.value = e
    }
  }

  /** Pokaż więcej */
  async function loadMore(): Promise<void> {
    if (!nextCursor.value || loadingMore.value) return
    loadingMore.value = true
    error.value = null
    try {
      const page = await ok(api().imports.$get({ query: { cursor: nextCursor.value, limit: String(PAGE) } }))
      const known = new Set(items.value.map((x) => x.id))
      items.value.push(...page.items.filter((x) => !known.has(x.id)))
      nextCursor.value = page.nextCursor
      total.value = page.total
    } catch (e) {
      error.value = e
    } finally {
      loadingMore.value = false
    }
  }

  function apply(d: ImportDetails) {
    const before = details.value[d.id]?.status ?? items.value.find((x) => x.id === d.id)?.status
    noteStatus(d.id, before, d.status)
    details.value[d.id] = d
    put(d)
  }

  /** szczegóły i status generowania */
  async function loadDetails(id: string): Promise<ImportDetails> {
    const d = await ok(api().imports[':id'].$get({ param: { id } }))
    apply(d)
    return d
  }

  async function run(id: string, action: RowAction, call: () => Promise<ImportDetails>): Promise<ImportDetails | undefined> {
    if (busy.value[id]) return undefined // a second click while the first is on its way
    busy.value[id] = action
    try {
      const d = await call()
      apply(d)
      return d
    } finally {
      busy.value[id] = undefined
    }
  }

  /** usuń źródło: stops the fetch for good, forgets the credentials, removes the file */
  const deleteSource = (id: string) => run(id, 'delete', () => ok(api().imports[':id'].source.$delete({ param: { id } })))
  /** Sprawdź i zaimportuj: answers at once with status verifying */
  const verify = (id: string) => run(id, 'verify', () => ok(api().imports[':id'].verify.$post({ param: { id } })))
  /** Wznów pobieranie after fetch_failed */
  const resume = (id: string) => run(id, 'resume', () => ok(api().imports[':id'].resume.$post({ param: { id } })))

  /** Pobierz plik XML: the address of GET /imports/:id/file, for a plain <a href download> */
  function fileUrl(id: string): string {
    return apiBase() + api().imports[':id'].file.$path({ param: { id } })
  }

  /** a new import (created by the wizard or uploaded) goes on top of the list, highlighted */
  function added(d: ImportDetails) {
    details.value[d.id] = d
    if (!put(d)) {
      items.value.unshift({ ...d })
      total.value += 1
    }
    highlightId.value = d.id
  }

  /** our own XML file instead of a fetch: multipart `file` + repeated `shopIds` */
  async function upload(file: File, shopIds: string[]): Promise<ImportDetails> {
    const form = new FormData()
    form.append('file', file, file.name)
    for (const id of shopIds) form.append('shopIds', id)
    // the route reads the multipart stream itself (no validator), so the body goes in as init
    const d = await ok(api().imports.upload.$post(undefined, { init: { body: form } }))
    added(d)
    return d
  }

  // ---- live updates -------------------------------------------------------------------
  interface Stream {
    es: EventSource
    users: number
  }
  const streams = new Map<string, Stream>()

  function onEvent(raw: MessageEvent) {
    let parsed: unknown
    try {
      parsed = JSON.parse(String(raw.data))
    } catch {
      return
    }
    // checked against the contract's schema, loaded with the first stream (subscribe); every
    // event waits on the same promise, so they are applied in the order they came
    void contractChecks().then(({ ImportEvent }) => {
      const ev = ImportEvent.safeParse(parsed)
      if (ev.success) applyEvent(ev.data)
    }, () => undefined)
  }

  function applyEvent(e: ImportEvent) {
    const row = items.value.find((x) => x.id === e.importId)
    const det = details.value[e.importId]
    if (e.type === 'progress') {
      if (row) row.progress = e.progress
      if (det) det.progress = e.progress
    } else if (e.type === 'counts') {
      if (row) row.counts = e.counts
      if (det) det.counts = e.counts
    } else {
      const before = det?.status ?? row?.status
      if (row) row.status = e.status
      if (det) det.status = e.status
      noteStatus(e.importId, before, e.status)
      if (!isLive(e.status)) {
        // final for this stream: close it and read what the job left (details, file, counts)
        close(e.importId)
        if (before !== e.status) void loadDetails(e.importId).catch(() => undefined)
      }
    }
  }

  function open(id: string): EventSource {
    const url = apiBase() + api().imports[':id'].events.$path({ param: { id } })
    const es = new EventSource(url, { withCredentials: false })
    // the schema the events are checked with downloads while the stream connects
    void contractChecks().catch(() => undefined)
    for (const type of ['status', 'progress', 'counts']) es.addEventListener(type, onEvent as EventListener)
    es.onerror = () => {
      // the browser reconnects by itself unless the server refused the stream for good
      if (es.readyState === 2 /* CLOSED */ && streams.get(id)?.es === es) {
        streams.delete(id)
        void loadDetails(id).catch(() => undefined)
      }
    }
    return es
  }

  function close(id: string) {
    const s = streams.get(id)
    if (!s) return
    s.es.close()
    streams.delete(id)
  }

  /**
   * Follows one import live; returns the unsubscribe function. Several screens may follow the
   * same import: the stream closes when the last one leaves or when the status is final.
   */
  function subscribe(id: string): () => void {
    let s = streams.get(id)
    if (!s) {
      s = { es: open(id), users: 0 }
      streams.set(id, s)
    }
    s.users++
    const mine = s
    let done = false
    return () => {
      if (done) return
      done = true
      if (streams.get(id) !== mine) return
      if (--mine.users <= 0) close(id)
    }
  }

  function isSubscribed(id: string): boolean {
    return streams.has(id)
  }

  function closeAll() {
    for (const id of [...streams.keys()]) close(id)
  }

  return {
    items,
    nextCursor,
    total,
    loaded,
    loading,
    loadingMore,
    error,
    details,
    busy,
    highlightId,
    lastChange,
    load,
    refresh,
    loadMore,
    loadDetails,
    deleteSource,
    verify,
    resume,
    added,
    upload,
    fileUrl,
    subscribe,
    isSubscribed,
    closeAll,
  }
})
