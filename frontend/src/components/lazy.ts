/**
 * Screens and dialogs other than the first screen load on first use, each with its own chunk
 * (code, texts, styles), so that a host loads little before the admin sees the import list.
 */
import { defineAsyncComponent, type Component } from 'vue'
import LazyLoading from './LazyLoading.vue'
import LazyFailed from './LazyFailed.vue'

/** a download that fails is tried again this many times (a network blip), then said */
const RETRIES = 2

function retrying(_error: Error, retry: () => void, fail: () => void, attempts: number) {
  if (attempts <= RETRIES) setTimeout(retry, 500 * attempts)
  else fail()
}

/**
 * A screen: after a short delay (a fast download shows nothing) a small loading state that
 * screen readers announce; a failed download, after the retries, an alert.
 */
export function lazyScreen<T extends Component>(loader: () => Promise<{ default: T }>): T {
  return defineAsyncComponent({ loader, loadingComponent: LazyLoading, errorComponent: LazyFailed, delay: 200, onError: retrying })
}

/** A dialog: it opens when its chunk is there (it takes the focus then, as before). */
export function lazyDialog<T extends Component>(loader: () => Promise<{ default: T }>): T {
  return defineAsyncComponent({ loader, errorComponent: LazyFailed, onError: retrying })
}
