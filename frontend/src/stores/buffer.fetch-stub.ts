/**
 * Test helper (not a test): a global fetch that answers only the requests a test expects and
 * records every other one as unexpected (the request then fails, and `assertNoUnexpected` fails
 * the test). Also the fixtures of buffered and imported customers.
 */
import { vi } from 'vitest'
import type { BufferedCustomer, CanonicalCustomer, ImportDetails, ImportedCustomer } from '@cm/contracts'
import { emptyGenerationDetails } from '@cm/contracts'

export const API_BASE = '/api/customer-migration'

export interface Call {
  method: string
  path: string
  query: Record<string, string>
  body: unknown
}

interface Expectation {
  method: string
  path: string
  /** every given key must equal; keys not given are not checked */
  query?: Record<string, string>
  status?: number
  response: ((call: Call) => unknown) | object
  /** how many times it may answer (default once; Infinity for "always") */
  times?: number
}

export function stubFetch() {
  const expectations: Expectation[] = []
  const calls: Call[] = []
  const unexpected: string[] = []

  const fetchStub = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const req = input instanceof Request ? input : null
    const url = new URL(req ? req.url : String(input), 'http://localhost')
    const method = (init?.method ?? req?.method ?? 'GET').toUpperCase()
    const path = url.pathname.startsWith(API_BASE) ? url.pathname.slice(API_BASE.length) : url.pathname
    const rawBody = init?.body ?? (req ? await req.text() : undefined)
    const body = typeof rawBody === 'string' && rawBody !== '' ? JSON.parse(rawBody) : undefined
    const call: Call = { method, path, query: Object.fromEntries(url.searchParams), body }
    calls.push(call)
    const i = expectations.findIndex(
      (e) => e.method === method && e.path === path && Object.entries(e.query ?? {}).every(([k, v]) => call.query[k] === v),
    )
    if (i < 0) {
      unexpected.push(`${method} ${path}${url.search} ${body === undefined ? '' : JSON.stringify(body)}`)
      throw new TypeError(`unexpected request ${method} ${path}`)
    }
    const e = expectations[i]!
    e.times = (e.times ?? 1) - 1
    if (e.times <= 0) expectations.splice(i, 1)
    const payload = await (typeof e.response === 'function' ? (e.response as (c: Call) => unknown)(call) : e.response)
    return new Response(JSON.stringify(payload), { status: e.status ?? 200, headers: { 'content-type': 'application/json' } })
  })
  vi.stubGlobal('fetch', fetchStub)

  return {
    calls,
    unexpected,
    on(method: string, path: string, response: Expectation['response'], opts: Omit<Expectation, 'method' | 'path' | 'response'> = {}) {
      expectations.push({ method, path, response, ...opts })
    },
    /** requests made to this method and path */
    made(method: string, path: string): Call[] {
      return calls.filter((c) => c.method === method && c.path === path)
    },
    assertNoUnexpected() {
      if (unexpected.length) throw new Error(`unexpected requests:\n${unexpected.join('\n')}`)
    },
  }
}
export type FetchStub = ReturnType<typeof stubFetch>

export function canonical(over: Partial<CanonicalCustomer> = {}, address: Partial<CanonicalCustomer['addresses'][number]> = {}): CanonicalCustomer {
  return {
    sourceId: '1',
    login: '',
    email: 'jan.kowalski@example.pl',
    firstName: 'Jan',
    lastName: 'Kowalski',
    company: '',
    vatNumber: '',
    phone: '',
    birthDate: '',
    language: 'pl',
    group: '',
    active: true,
    registeredAt: '',
    addresses: [
      {
        firstName: 'Jan',
        lastName: 'Kowalski',
        company: '',
        street: 'Długa 1',
        postcode: '00-950',
        city: 'Warszawa',
        countryCode: 'PL',
        phone: '',
        vatNumber: '',
        isDefaultBilling: true,
        isDefaultShipping: true,
        ...address,
      },
    ],
    consents: [],
    ...over,
  }
}

export function buffered(id: string, over: Partial<BufferedCustomer> = {}, customer: CanonicalCustomer = canonical({ sourceId: id })): BufferedCustomer {
  return {
    id,
    sourceId: customer.sourceId,
    state: 'pending',
    customer,
    plannedLogin: 'jankowalski',
    edited: false,
    errors: [],
    updatedAt: '2025-05-12T10:00:00.000Z',
    ...over,
  }
}

export function importedRow(id: string, over: Partial<ImportedCustomer> = {}): ImportedCustomer {
  return {
    id,
    sourceId: id,
    panelCustomerId: `p${id}`,
    login: `klient${id}`,
    email: `klient${id}@example.pl`,
    firstName: 'Anna',
    lastName: 'Nowak',
    importedAt: '2025-05-12T10:00:00.000Z',
    notified: false,
    notifiedAt: null,
    notifyError: null,
    ...over,
  }
}

export function importDetails(id: string, counts: Partial<ImportDetails['counts']> = {}): ImportDetails {
  return {
    id,
    platform: 'shoper',
    domain: 'https://sklep.example.pl',
    shops: [{ id: 's1', name: 'Sklep Główny' }],
    status: 'buffered',
    progress: { fetched: 10, total: 10 },
    counts: { pending: 0, failed: 0, skipped: 0, imported: 0, notified: 0, ...counts },
    origin: 'source',
    createdAt: '2025-05-12T10:00:00.000Z',
    updatedAt: '2025-05-12T10:00:00.000Z',
    generation: { ...emptyGenerationDetails(), customersWritten: 10 },
    verification: null,
    file: { available: true, size: 100, customers: 10 },
    hasCredentials: false,
  }
}

export const list = <T>(items: T[], total = items.length, nextCursor: string | null = null) => ({ items, total, nextCursor })
