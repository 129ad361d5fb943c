/**
 * Issue 4, item 8: property-based requests against every route of the module. Bodies and queries
 * are generated from the contracts' zod schemas (through their JSON Schema: values of the right
 * shape) and then broken: fields dropped, replaced with other types, huge strings, any unicode,
 * deep nesting, unknown keys; besides, arbitrary JSON, text that is no JSON, odd content types,
 * and arbitrary path parameters (`../`, unicode, very long, numbers that are not ids) and query
 * strings. Every answer must be below 500 and, from 400 on, the error envelope; the module must
 * log no unhandled error; and afterwards the app still answers GET /platforms with 200.
 *
 * The module runs with its production defaults (no private or http sources); DNS answers a private
 * address for every name and outgoing sockets are cut, so no generated shop address reaches out.
 */
import { promises as dnsPromises } from 'node:dns'
import net from 'node:net'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { z } from 'zod'
import {
  BufferQuery,
  ConnectionCheckRequest,
  CreateImportRequest,
  CustomerEdit,
  ErrorEnvelope,
  ImportCustomersRequest,
  ImportListQuery,
  ImportedQuery,
  ListQuery,
  NotifyRequest,
  SkipCustomersRequest,
  UpdatePreferencesRequest,
  UpdateTemplateRequest,
  type BufferedCustomer,
  type ImportDetails,
  type ListEnvelope,
} from '@cm/contracts'
import { address, customer, xmlDocument } from '../pipeline/xml/xml.fixtures.ts'
import { reliabilityCase, type ReliabilityCase } from '../testing/reliability.ts'
import { startTestModule } from '../testing/test-module.ts'

type T = Awaited<ReturnType<typeof startTestModule>>
type Json = null | boolean | number | string | Json[] | { [k: string]: Json }

const RUNS = Number(process.env.FUZZ_RUNS ?? 100)
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined

// ---- arbitraries from a JSON Schema (what zod's toJSONSchema gives for the contracts) ---------------
type JsonSchema = {
  type?: string
  const?: unknown
  enum?: unknown[]
  anyOf?: JsonSchema[]
  oneOf?: JsonSchema[]
  properties?: Record<string, JsonSchema>
  required?: string[]
  additionalProperties?: JsonSchema | boolean
  items?: JsonSchema
  minLength?: number
  maxLength?: number
  minimum?: number
  maximum?: number
  minItems?: number
  maxItems?: number
}

const text = (min = 0, max = 24) =>
  fc.oneof(
    { weight: 3, arbitrary: fc.string({ minLength: min, maxLength: Math.max(min, max) }) },
    { weight: 2, arbitrary: fc.string({ unit: 'binary', minLength: min, maxLength: Math.max(min, max) }) },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme', minLength: min, maxLength: Math.max(min, max) }) },
  )

function fromSchema(s: JsonSchema): fc.Arbitrary<unknown> {
  if (s.const !== undefined) return fc.constant(s.const)
  if (s.enum) return fc.constantFrom(...s.enum)
  const alternatives = s.anyOf ?? s.oneOf
  if (alternatives) return fc.oneof(...alternatives.map(fromSchema))
  switch (s.type) {
    case 'object': {
      const props = Object.entries(s.properties ?? {})
      if (props.length === 0 && typeof s.additionalProperties === 'object') {
        return fc.dictionary(text(1, 8), fromSchema(s.additionalProperties), { maxKeys: 3 })
      }
      const model = Object.fromEntries(props.map(([k, v]) => [k, fromSchema(v)]))
      return fc.record(model, { requiredKeys: (s.required ?? []).filter((k) => k in model) as never[] })
    }
    case 'string': {
      const min = s.minLength ?? 0
      const max = s.maxLength ?? 10_000
      return fc.oneof(
        { weight: 8, arbitrary: text(min, Math.min(max, min + 24)) },
        // the boundaries, and one past them
        { weight: 1, arbitrary: fc.constantFrom('x'.repeat(Math.min(max, 60_000)), 'x'.repeat(Math.min(max + 1, 60_001)), 'x'.repeat(Math.max(min - 1, 0))) },
      )
    }
    case 'integer':
    case 'number':
      return fc.oneof(fc.integer({ min: s.minimum ?? -1_000_000, max: s.maximum ?? 1_000_000 }), fc.constantFrom((s.minimum ?? 0) - 1, (s.maximum ?? 0) + 1, 0.5, -0, 1e308))
    case 'boolean':
      return fc.boolean()
    case 'array':
      return fc.array(s.items ? fromSchema(s.items) : fc.jsonValue({ maxDepth: 2 }), { minLength: s.minItems ?? 0, maxLength: Math.min(s.maxItems ?? 6, 6) })
    case 'null':
      return fc.constant(null)
    default:
      return fc.jsonValue({ maxDepth: 2 })
  }
}

/** names that are properties of every plain object */
const PROTO_KEYS = ['__proto__', 'constructor', 'valueOf', 'toString', 'hasOwnProperty', 'prototype'] as const
const keyArb = fc.oneof({ weight: 3, arbitrary: text(1, 10) }, { weight: 1, arbitrary: fc.constantFrom(...PROTO_KEYS) })

const schemaArb = (schema: z.ZodType) => fromSchema(z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema)

/** values that break things: other types, huge, deep, control characters, injections */
const nested = (depth: number, inner: Json, asArray: boolean): Json => {
  let v = inner
  for (let i = 0; i < depth; i++) v = asArray ? [v] : { a: v }
  return v
}
const weird: fc.Arbitrary<Json> = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json>,
  text(0, 40),
  fc.integer({ min: 1_000, max: 300_000 }).map((n) => 'ż'.repeat(n)),
  fc.tuple(fc.integer({ min: 50, max: 3_000 }), fc.boolean()).map(([d, arr]) => nested(d, 'x', arr)),
  fc.constantFrom<Json>(null, true, false, 0, -1, 1e308, -1e308, 2 ** 53 + 1, '', ' ', '\u0000', '\uFEFF', '\uD800', '../../etc/passwd', '%00', '<script>alert(1)</script>', "' OR 1=1 --", '{{setPasswordLink}}', '__proto__', [], {}, { __proto__: { admin: true } } as unknown as Json),
)

type Path = Array<string | number>
function pathsOf(v: unknown, at: Path = [], out: Path[] = []): Path[] {
  out.push(at)
  if (at.length > 6) return out
  if (Array.isArray(v)) v.forEach((x, i) => pathsOf(x, [...at, i], out))
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) pathsOf(x, [...at, k], out)
  return out
}
function setAt(root: unknown, path: Path, fn: (parent: Record<string | number, unknown>, key: string | number) => void): unknown {
  if (path.length === 0) return root
  let cur = root as Record<string | number, unknown>
  for (const k of path.slice(0, -1)) cur = cur[k] as Record<string | number, unknown>
  fn(cur, path[path.length - 1]!)
  return root
}

/** a valid-shaped value with one thing broken */
const mutated = (base: fc.Arbitrary<unknown>) =>
  fc
    .tuple(base, fc.nat(), weird, fc.constantFrom('replace', 'delete', 'add', 'wrap', 'stringify'), keyArb)
    .map(([value, pick, w, how, key]) => {
      const v = structuredClone(value) as Json
      const paths = pathsOf(v)
      const path = paths[pick % paths.length]!
      if (how === 'wrap') return [v]
      if (how === 'stringify') return JSON.stringify(v)
      if (path.length === 0) return how === 'add' && v && typeof v === 'object' && !Array.isArray(v) ? { ...v, [key]: w } : w
      return setAt(v, path, (parent, k) => {
        if (how === 'replace') parent[k] = w
        else if (how === 'delete') {
          if (Array.isArray(parent)) parent.splice(Number(k), 1)
          else delete parent[k]
        } else if (!Array.isArray(parent) && parent[k] && typeof parent[k] === 'object' && !Array.isArray(parent[k])) {
          ;(parent[k] as Record<string, unknown>)[key] = w
        } else parent[k] = w
      })
    })

/** a request body: well-formed JSON of any kind, or text that is not JSON, with some content type */
function bodyArb(schema: z.ZodType | null): fc.Arbitrary<{ body: string | undefined; type: string | undefined }> {
  const shaped = schema ? schemaArb(schema) : (fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<unknown>)
  const value = fc.oneof(
    { weight: 3, arbitrary: shaped },
    { weight: 4, arbitrary: mutated(shaped) },
    { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 4 }) as fc.Arbitrary<unknown> },
    { weight: 1, arbitrary: weird },
  )
  const raw = fc.oneof(
    value.map((v) => JSON.stringify(v)),
    fc.constantFrom('', '{', '{"a":', 'null', '[]', '"', '\u0000', '{"__proto__":{"x":1}}', '{"a":1,"a":2}', 'NaN', '1e999999'),
    text(0, 60),
  )
  const type = fc.constantFrom('application/json', 'application/json', 'application/json; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/vnd.api+json', undefined)
  return fc.record({ body: fc.option(raw, { nil: undefined, freq: 10 }), type })
}

/** a value for a query key: the schema's own values, combinations of them, numbers out of range, anything */
function queryArb(schema: z.ZodType | null): fc.Arbitrary<string> {
  const js = schema ? (z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema) : { properties: {} }
  const keys = Object.keys(js.properties ?? {})
  const known = ['pending', 'failed', 'skipped', 'imported', 'importing', 'awaiting_xml', 'buffered', 'completed', 'true', 'false', 'LOGIN_MISSING', 'EMAIL_TAKEN', 'POSTCODE_INVALID']
  const value = fc.oneof(
    fc.constantFrom(...known),
    fc.array(fc.constantFrom(...known, '', ' '), { maxLength: 5 }).map((a) => a.join(',')),
    fc.constantFrom('0', '-1', '1', '500', '501', '1e3', '1.5', 'NaN', 'Infinity', '9'.repeat(40), '0x10', ''),
    fc.constantFrom('MQ', 'MA', 'LTE', 'OTk5OTk5OTk5OTk5OTk5OTk5', 'SW5maW5pdHk', 'MWU0MDA', 'AAAA', '!!!', '%', '%zz'),
    text(0, 30),
    fc.integer({ min: 150, max: 5_000 }).map((n) => 'q'.repeat(n)),
  )
  const pair = fc.tuple(fc.oneof(fc.constantFrom(...(keys.length ? keys : ['q'])), keyArb), value, fc.boolean())
  return fc.oneof(
    { weight: 5, arbitrary: fc.array(pair, { maxLength: 5 }).map((ps) => ps.map(([k, v, enc]) => `${encodeURIComponent(k)}=${enc ? encodeURIComponent(v) : v}`).join('&')) },
    { weight: 1, arbitrary: text(0, 60) },
  )
}

/** a path parameter: a real id sometimes, mostly anything */
function paramArb(valid: string[]): fc.Arbitrary<{ value: string; raw: boolean }> {
  const value = fc.oneof(
    { weight: 2, arbitrary: fc.constantFrom(...valid) },
    { weight: 3, arbitrary: text(0, 30) },
    {
      weight: 2,
      arbitrary: fc.constantFrom('..', '../', '../../platforms', '..%2f..%2fplatforms', '%2e%2e%2f', '.', '0', '-1', '1.0', '1e3', '0x1', ' 1', '1 ', '+1', '9'.repeat(15), '9'.repeat(16), '9'.repeat(400), '١٢٣', '１', 'null', 'undefined', '%', '%zz', '%00', '\u0000', 'upload', '*', '?', '#', ';', 'a/b'),
    },
    { weight: 1, arbitrary: fc.integer({ min: 200, max: 5_000 }).map((n) => '7'.repeat(n)) },
  )
  return fc.record({ value, raw: fc.boolean() })
}

// ---- the routes ---------------------------------------------------------------------------------
interface FuzzRoute {
  body?: z.ZodType
  query?: z.ZodType
  multipart?: true
}
const FUZZ: Record<string, FuzzRoute> = {
  'GET /platforms': {},
  'POST /connections/check': { body: ConnectionCheckRequest },
  'GET /shops': {},
  'GET /imports': { query: ListQuery.extend(ImportListQuery.shape) },
  'POST /imports': { body: CreateImportRequest },
  'POST /imports/upload': { multipart: true },
  'GET /imports/:id': {},
  'GET /imports/:id/file': {},
  'GET /imports/:id/events': {},
  'DELETE /imports/:id/source': {},
  'POST /imports/:id/verify': {},
  'POST /imports/:id/resume': {},
  'GET /imports/:id/buffer': { query: BufferQuery },
  'PATCH /imports/:id/buffer/:customerId': { body: CustomerEdit },
  'POST /imports/:id/buffer/import': { body: ImportCustomersRequest },
  'POST /imports/:id/buffer/skip': { body: SkipCustomersRequest },
  'POST /imports/:id/buffer/restore': { body: SkipCustomersRequest },
  'GET /imports/:id/imported': { query: ImportedQuery },
  'POST /imports/:id/imported/notify': { body: NotifyRequest },
  'GET /imports/:id/imported/:customerId/preview': {},
  'GET /templates/:shopId/customer-imported': {},
  'PUT /templates/:shopId/customer-imported': { body: UpdateTemplateRequest },
  'GET /preferences': {},
  'PUT /preferences': { body: UpdatePreferencesRequest },
}

// ---- the module under test ------------------------------------------------------------------------
let t: T
const logs: Array<{ level: string; msg: string; data?: unknown }> = []
const originalConnect = net.Socket.prototype.connect
let socketsCut = 0
const valid = { buffered: [] as string[], other: [] as string[], customers: [] as string[], shops: ['1', '2'] }

const FILE = xmlDocument([
  customer('1', { email: 'anna@example.pl', firstName: 'Anna', lastName: 'Nowak', addresses: [address({ firstName: 'Anna', lastName: 'Nowak' })] }),
  customer('2', { email: 'jan@example.pl', firstName: 'Jan', lastName: 'Kowalski', addresses: [address({ postcode: '1' })] }),
  customer('3', { email: 'ewa@example.pl', firstName: 'Ewa', lastName: 'Lis', addresses: [address()] }),
])

beforeAll(async () => {
  vi.spyOn(dnsPromises, 'lookup').mockImplementation((async () => [{ address: '10.9.9.9', family: 4 }]) as unknown as typeof dnsPromises.lookup)
  net.Socket.prototype.connect = function (this: net.Socket) {
    socketsCut++
    queueMicrotask(() => this.destroy(Object.assign(new Error('connect ECONNREFUSED (cut by the fuzz test)'), { code: 'ECONNREFUSED' })))
    return this
  } as typeof net.Socket.prototype.connect
  t = await startTestModule({ settings: { log: (level, msg, data) => logs.push({ level, msg, data }) } })
  const upload = async () => {
    const form = new FormData()
    form.set('file', new Blob([FILE]), 'klienci.xml')
    form.set('shopIds', '1,2')
    const res = await t.module.app.request('/imports/upload', { method: 'POST', body: form, headers: { 'x-test-user': 'admin' } })
    return ((await res.json()) as ImportDetails).id
  }
  const buffered = await upload()
  await t.json('admin', `/imports/${buffered}/verify`, { method: 'POST' })
  await t.waitFor(() => t.json<ImportDetails>('admin', `/imports/${buffered}`).then((r) => r.body.status), (s) => s === 'buffered')
  valid.buffered.push(buffered)
  valid.customers.push(...(await t.json<ListEnvelope<BufferedCustomer>>('admin', `/imports/${buffered}/buffer`)).body.items.map((c) => c.id))
  valid.other.push(await upload())
})

afterAll(async () => {
  await t?.close()
  net.Socket.prototype.connect = originalConnect
  vi.restoreAllMocks()
})

interface Sent {
  method: string
  url: string
  body?: BodyInit
  type?: string
  user: string
}

/** a request that gets no answer is a failure too (a hung handler holds its connection forever) */
const ANSWER_WITHIN_MS = 5_000

async function send(r: Sent): Promise<{ status: number; text: string; type: string }> {
  let timer: NodeJS.Timeout | undefined
  const hung = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ANSWER_WITHIN_MS} ms: ${r.method} ${r.url.slice(0, 200)} [${r.type ?? '-'}] ${describeBody(r.body)}`)), ANSWER_WITHIN_MS)
  })
  try {
    return await Promise.race([answer(r), hung])
  } finally {
    clearTimeout(timer)
  }
}

function describeBody(b: BodyInit | undefined): string {
  if (typeof b === 'string') return JSON.stringify(b.slice(0, 300))
  if (b instanceof FormData) return JSON.stringify([...b.entries()].map(([k, v]) => [k, typeof v === 'string' ? v : `<file ${v.name} ${v.size} B>`]))
  return String(b)
}

async function answer(r: Sent): Promise<{ status: number; text: string; type: string }> {
  const headers = new Headers({ 'x-test-user': r.user })
  if (r.type) headers.set('content-type', r.type)
  const res = await t.module.app.request(r.url, { method: r.method, headers, ...(r.body === undefined || r.method === 'GET' ? {} : { body: r.body }) })
  const type = res.headers.get('content-type') ?? ''
  if (type.startsWith('text/event-stream') || type.startsWith('application/xml')) {
    await res.body?.cancel()
    return { status: res.status, text: '', type }
  }
  return { status: res.status, text: await res.text(), type }
}

function check(r: Sent, res: { status: number; text: string; type: string }): void {
  const what = `${r.method} ${r.url.slice(0, 300)} [${r.type ?? '-'}] ${typeof r.body === 'string' ? r.body.slice(0, 300) : ''} → ${res.status} ${res.text.slice(0, 300)}`
  expect(res.status, what).toBeLessThan(500)
  if (res.status >= 400) {
    let parsed: unknown
    expect(() => (parsed = JSON.parse(res.text)), what).not.toThrow()
    expect(ErrorEnvelope.safeParse(parsed).success, what).toBe(true)
  } else if (res.type.startsWith('application/json')) {
    expect(() => JSON.parse(res.text), what).not.toThrow()
  }
}

/** tallies a request sent: refused when answered 4xx (a 5xx fails check() anyway) */
function answered<R extends { status: number }>(rc: ReliabilityCase, res: R): R {
  rc.tried(1)
  if (res.status >= 400) rc.rejected(1)
  return res
}

/** the URL for a route, its parameters filled in (encoded, or raw when the result is still a URL) */
function urlFor(route: string, params: Array<{ value: string; raw: boolean }>, query: string): string | null {
  let i = 0
  const path = route.replace(/:[A-Za-z]+/g, () => {
    const p = params[i++]!
    return p.raw ? p.value : encodeURIComponent(p.value)
  })
  const url = query ? `${path}?${query}` : path
  try {
    new URL(url, 'http://localhost')
  } catch {
    return null
  }
  return url
}

function paramsFor(route: string): fc.Arbitrary<Array<{ value: string; raw: boolean }>> {
  const names = [...route.matchAll(/:([A-Za-z]+)/g)].map((m) => m[1]!)
  const pool = (name: string) =>
    name === 'customerId' ? valid.customers : name === 'shopId' ? valid.shops : route.includes('/buffer') || route.includes('/imported') ? valid.buffered : [...valid.other, ...valid.buffered]
  return fc.tuple(...names.map((n) => paramArb(pool(n))))
}

const counts: Record<string, number> = {}

describe('generated requests against every route: never a 500, always the envelope', () => {
  it('covers every route the module serves', () => {
    const served = new Set(t.module.app.routes.filter((r) => r.method !== 'ALL').map((r) => `${r.method} ${r.path}`))
    expect(new Set(Object.keys(FUZZ))).toEqual(served)
  })

  for (const [key, spec] of Object.entries(FUZZ)) {
    const [method, route] = key.split(' ') as [string, string]
    it(`${key}`, async () => {
      const rc = reliabilityCase('requests', `generated requests: ${key}`)
      let n = 0
      const user = fc.constantFrom('operator', 'admin')
      if (spec.multipart) {
        const part = fc.record({
          file: fc.option(fc.oneof(text(0, 200), fc.constant(FILE), fc.uint8Array({ maxLength: 300 })), { nil: undefined }),
          fileField: fc.constantFrom('file', 'file', 'plik', '', '__proto__'),
          filename: text(0, 40),
          shopIds: fc.array(fc.oneof(fc.constantFrom('1', '2', '1,2', ' 2 ', '', ',', '99'), text(0, 12)), { maxLength: 4 }),
          extra: fc.array(fc.tuple(fc.oneof(text(0, 8), keyArb), text(0, 20)), { maxLength: 3 }),
        })
        const rawMultipart = fc
          .tuple(bodyArb(null), fc.constantFrom('multipart/form-data; boundary=x', 'multipart/form-data', 'multipart/form-data; boundary=', 'multipart/mixed; boundary=x', null))
          .map(([b, type]) => ({ ...b, type: type ?? b.type }))
        await fc.assert(
          fc.asyncProperty(fc.oneof(part.map((p) => ({ kind: 'form' as const, p })), rawMultipart.map((b) => ({ kind: 'raw' as const, b }))), user, async (c, u) => {
            let sent: Sent
            if (c.kind === 'form') {
              const form = new FormData()
              for (const [k, v] of c.p.extra) form.append(k, v)
              for (const s of c.p.shopIds) form.append('shopIds', s)
              if (c.p.file !== undefined) form.set(c.p.fileField, new Blob([c.p.file as BlobPart]), c.p.filename)
              sent = { method, url: route, body: form, user: u }
            } else sent = { method, url: route, body: c.b.body, type: c.b.type, user: u }
            check(sent, answered(rc, await send(sent)))
            n++
          }),
          { numRuns: RUNS, seed: SEED },
        )
      } else {
        const req = fc.record({
          params: paramsFor(route),
          query: fc.option(queryArb(spec.query ?? null), { nil: '', freq: spec.query ? 6 : 3 }),
          body: bodyArb(spec.body ?? null),
          user,
        })
        await fc.assert(
          fc.asyncProperty(req, async (r) => {
            const url = urlFor(route, r.params, r.query)
            fc.pre(url !== null)
            const sent: Sent = { method, url: url!, body: r.body.body, type: r.body.type, user: r.user }
            check(sent, answered(rc, await send(sent)))
            n++
          }),
          { numRuns: RUNS, seed: SEED },
        )
      }
      counts[key] = n
    })
  }

  it('the cases the generators found, kept as plain regressions', async () => {
    const rc = reliabilityCase('requests', 'regressions found by the generators')
    const cases: Sent[] = [
      // busboy refused the content type in its constructor, outside the handler's try: 500
      { method: 'POST', url: '/imports/upload', body: 'NaN', type: 'multipart/form-data', user: 'operator' },
      { method: 'POST', url: '/imports/upload', body: '--x--', type: 'multipart/form-data; boundary=', user: 'operator' },
      // a cursor decoding to 1e400 (Infinity) went into the query: 500
      { method: 'GET', url: '/imports?cursor=MWU0MDA', user: 'operator' },
      { method: 'GET', url: `/imports?cursor=${Buffer.from('-5').toString('base64url')}`, user: 'operator' },
    ]
    // a form field named like an Object.prototype member threw inside busboy: the request hung and the rejection went unhandled
    for (const name of PROTO_KEYS) {
      const form = new FormData()
      form.append(name, 'x')
      form.append('shopIds', '1')
      form.set('file', new Blob([FILE]), 'klienci.xml')
      cases.push({ method: 'POST', url: '/imports/upload', body: form, user: 'operator' })
    }
    for (const c of cases) check(c, answered(rc, await send(c)))
  })

  it('leaves the module alive, with no unhandled error logged', async () => {
    reliabilityCase('requests', 'server alive after the generated requests')
    const r = await t.json<{ items: unknown[] }>('operator', '/platforms')
    expect(r.status).toBe(200)
    expect(r.body.items.length).toBeGreaterThan(0)
    expect(logs.filter((l) => l.level === 'error')).toEqual([])
    const total = Object.values(counts).reduce((a, b) => a + b, 0)
    expect(total).toBeGreaterThanOrEqual(Object.keys(FUZZ).length * RUNS * 0.9)
  })
})
