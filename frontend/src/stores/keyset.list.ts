/**
 * Keyset paging shared by the buffer and imported lists: a stack of cursors (one per page seen),
 * so "Poprzednia strona" needs no OFFSET and stays fast at any depth. Stale answers (a slow page
 * overtaken by a newer request) are dropped; the old rows stay until the new ones arrive.
 */
import { computed, ref, shallowRef } from 'vue'
import type { ListEnvelope } from '@cm/contracts'

export function useKeysetList<T>(limit: number, fetchPage: (cursor: string | undefined) => Promise<ListEnvelope<T>>) {
  const items = shallowRef<T[]>([])
  const total = ref(0)
  /** `total` is a lower bound (a searched or code-filtered list of a large import counts so far) */
  const totalCapped = ref(false)
  const nextCursor = ref<string | null>(null)
  /** cursor of every page from the first (undefined) to the current one */
  const cursors = ref<Array<string | undefined>>([undefined])
  const loading = ref(false)
  const loaded = ref(false)
  const error = ref<unknown>(null)
  let seq = 0

  async function load(): Promise<void> {
    const mine = ++seq
    loading.value = true
    error.value = null
    try {
      const page = await fetchPage(cursors.value[cursors.value.length - 1])
      if (mine !== seq) return
      // the last page emptied by an import or skip: step back instead of showing nothing
      // (an empty page that still has a next one is a long search that read its share of rows: stay)
      if (page.items.length === 0 && page.nextCursor === null && cursors.value.length > 1) {
        cursors.value.pop()
        return await load()
      }
      items.value = page.items
      total.value = page.total
      totalCapped.value = page.totalCapped === true
      nextCursor.value = page.nextCursor
      loaded.value = true
    } catch (e) {
      if (mine === seq) error.value = e
    } finally {
      if (mine === seq) loading.value = false
    }
  }

  function reset(): void {
    cursors.value = [undefined]
  }

  /** another import: forget the rows of the previous one, not only the page position */
  function clear(): void {
    reset()
    items.value = []
    total.value = 0
    totalCapped.value = false
    loaded.value = false
  }

  function next(): Promise<void> {
    if (!nextCursor.value) return Promise.resolve()
    cursors.value.push(nextCursor.value)
    return load()
  }

  function prev(): Promise<void> {
    if (cursors.value.length <= 1) return Promise.resolve()
    cursors.value.pop()
    return load()
  }

  const pageIndex = computed(() => cursors.value.length - 1)
  const hasPrev = computed(() => cursors.value.length > 1)
  const hasNext = computed(() => nextCursor.value !== null)
  /** 1-based positions of the rows shown (approximate once rows left the list) */
  const range = computed(() => {
    if (items.value.length === 0) return { from: 0, to: 0 }
    const from = pageIndex.value * limit + 1
    return { from, to: from + items.value.length - 1 }
  })

  return { items, total, totalCapped, nextCursor, cursors, loading, loaded, error, load, reset, clear, next, prev, pageIndex, hasPrev, hasNext, range }
}
