/**
 * Test doubles for the flow's store and view tests: a fetch that answers only the requests a
 * test declares (anything else is recorded and rejected), a scriptable EventSource, and
 * sample rows shaped by the contracts.
 */
import { vi } from 'vitest'
import type { ImportDetails, ImportSummary, Platform, Shop } from '@cm/contracts'
import { PLATFORMS, emptyGenerationDetails } from '@cm/contracts'
import { createPinia, setActivePinia } from 'pinia'
import { createModuleI18n } from '../i18n/index.ts'

export const API_BASE = '/api/customer-migration'

export interface Seen {
  method: string
  path: string
  query: URLSearchParams
  body: unknown
}
type Answer = { status?: number; body?: unknown } | ((req: Seen) => { status?: number; body?: unknown } | Promise<{ status?: number; body?: unknown }>)
interface Route {
  method: string
  path: string
  answer: Answer
  times: number
}

/** `on('GET /imports', {body})` — first matching route wins; `once` routes are used up */
export function fakeFetch() {
  const routes: Route[] = []
  const seen: Seen[] = []
  const unexpected: string[] = []

  const fn = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const raw = typeof input === 'string' ? input : input instanceof URL ? input.toString() : input.url
    const url = new URL(raw, 'http://panel.test')
    const method = (init?.method ?? 'GET').toUpperCase()
    const path = url.pathname.startsWith(API_BASE) ? url.pathname.slice(API_BASE.length) : url.pathname
    let body: unknown = init?.body
    if (typeof body === 'string') {
      try {
        body = JSON.parse(body)
      } catch {
        /* text body */
      }
    }
    const req: Seen = { method, path, query: url.searchParams, body }
    seen.push(req)
    const route = routes.find((r) => r.method === method && r.path === path && r.times !== 0)
    if (!route) {
      unexpected.push(`${method} ${path}${url.search}`)
      throw new TypeError(`unexpected request ${method} ${path}${url.search}`)
    }
    if (route.times > 0) route.times--
    const a = typeof route.answer === 'function' ? await route.answer(req) : route.answer
    return new Response(a.body === undefined ? null : JSON.stringify(a.body), {
      status: a.status ?? 200,
      headers: { 'content-type': 'application/json' },
    })
  })

  return {
    fn,
    seen,
    unexpected,
    on(spec: string, answer: Answer, times = -1) {
      const [method, path] = spec.split(' ') as [string, string]
      routes.unshift({ method, path, answer, times })
      return this
    },
    once(spec: string, answer: Answer) {
      return this.on(spec, answer, 1)
    },
    calls(spec: string) {
      const [method, path] = spec.split(' ') as [string, string]
      return seen.filter((s) => s.method === method && s.path === path)
    },
  }
}
export type FakeFetch = ReturnType<typeof fakeFetch>

/** An EventSource the test drives: `FakeEventSource.last().emit('progress', {...})`. */
export class FakeEventSource {
  static instances: FakeEventSource[] = []
  static last(): FakeEventSource {
    const es = FakeEventSource.instances[FakeEventSource.instances.length - 1]
    if (!es) throw new Error('no EventSource was opened')
    return es
  }
  static open(): FakeEventSource[] {
    return FakeEventSource.instances.filter((e) => e.readyState !== 2)
  }
  static reset() {
    FakeEventSource.instances = []
  }

  readonly CONNECTING = 0
  readonly OPEN = 1
  readonly CLOSED = 2
  readyState = 0
  onerror: ((e: Event) => void) | null = null
  onmessage: ((e: MessageEvent) => void) | null = null
  onopen: ((e: Event) => void) | null = null
  private listeners = new Map<string, Set<(e: MessageEvent) => void>>()

  constructor(readonly url: string) {
    FakeEventSource.instances.push(this)
  }
  addEventListener(type: string, fn: (e: MessageEvent) => void) {
    if (!this.listeners.has(type)) this.listeners.set(type, new Set())
    this.listeners.get(type)!.add(fn)
  }
  removeEventListener(type: string, fn: (e: MessageEvent) => void) {
    this.listeners.get(type)?.delete(fn)
  }
  close() {
    this.readyState = 2
  }
  /** the server sends `event: <type>` with JSON data */
  emit(type: string, data: unknown) {
    if (this.readyState === 2) throw new Error('emit on a closed EventSource')
    this.readyState = 1
    const ev = { type, data: JSON.stringify(data) } as MessageEvent
    for (const fn of this.listeners.get(type) ?? []) fn(ev)
  }
  fail(closed: boolean) {
    if (closed) this.readyState = 2
    this.onerror?.({ type: 'error' } as Event)
  }
}

export const SHOPS: Shop[] = [
  { id: 's1', name: 'Sklep główny', language: 'pl', currency: 'PLN' },
  { id: 's2', name: 'Sklep DE', language: 'de', currency: 'EUR' },
  { id: 's3', name: 'Outlet', language: 'pl', currency: 'PLN' },
]
export const PLATFORM_LIST: Platform[] = PLATFORMS.map((p) => ({ ...p }))

const zeroCounts = { pending: 0, failed: 0, skipped: 0, imported: 0, notified: 0 }

export function summary(over: Partial<ImportSummary> & { id: string }): ImportSummary {
  return {
    platform: 'shoper',
    domain: `https://sklep${over.id}.shoparena.pl`,
    shops: [{ id: 's1', name: 'Sklep główny' }],
    status: 'awaiting_xml',
    progress: { fetched: 0, total: null },
    counts: { ...zeroCounts },
    origin: 'source',
    createdAt: '2025-03-14T09:05:00.000Z',
    updatedAt: '2025-03-14T09:05:00.000Z',
    ...over,
  }
}

export function details(over: Partial<ImportDetails> & { id: string }): ImportDetails {
  return {
    ...summary(over),
    generation: { ...emptyGenerationDetails(), startedAt: '2025-03-14T09:05:01.000Z' },
    verification: null,
    file: { available: false, size: 0, customers: null },
    hasCredentials: true,
    ...over,
  }
}

export function list<T>(items: T[], nextCursor: string | null = null, total = items.length) {
  return { items, nextCursor, total }
}

/** Pinia (made active, so the test can reach the stores) and the module's i18n, for mount(). */
export function viewPlugins(locale: 'pl' | 'en' = 'pl') {
  const pinia = createPinia()
  setActivePinia(pinia)
  return [pinia, createModuleI18n(locale)]
}
