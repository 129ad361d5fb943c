/**
 * The tests every source connector must pass, whatever its platform: the connection check
 * (good, and each kind of bad credentials with its own code), a complete read, a customer who
 * registers mid-fetch, a 5xx retried, a rate limit honoured, exact resume after a kill, prompt
 * abort, the mapping fixtures, and no credential in anything the connector hands out.
 * conformance.test.ts runs every subject of conformance.subjects.ts and prints a table
 * connector × case. Each platform's `<platform>.testing.ts` builds its subjects over its mock.
 */
import { afterAll, afterEach, beforeEach, describe, expect, it, onTestFinished } from 'vitest'
import { CanonicalCustomer, connectionErrorText, NON_ACCOUNT_SKIP_REASONS, type ConnectionErrorCode, type PlatformId, type SourceCredentials } from '@cm/contracts'
import { SourceError, type CustomerPage, type SourceConnector, type SourceEvent, type SourceHttpOptions } from './connector.ts'

/** One source shop (a mock) prepared for one case. */
export interface ConformanceShop<C extends SourceCredentials = SourceCredentials> {
  credentials: C
  /** each kind of bad credentials the platform tells apart, with the code the check must answer */
  badCredentials: Array<{ kind: string; credentials: C; code: ConnectionErrorCode }>
  /** with an injected sleep, so waits cost no real time; its onEvent must feed `events` */
  http: SourceHttpOptions
  events: SourceEvent[]
  /** customers the source holds that must reach the file (guests, deleted… excluded) */
  expectedCustomers: number
  /** the next `n` requests get the platform's own 5xx answer */
  serverErrorNext(n: number): void
  /** the next `n` requests get the platform's rate-limit answer, asking for `seconds`; null: the platform has none */
  rateLimitNext: ((n: number, seconds: number) => void) | null
  /** a customer registers now (an account that must reach the file); answers its sourceId */
  addCustomer(): string
  /** the access token the connector holds dies now (expiry, revocation); null: the platform uses no tokens */
  expireTokenNow: (() => void) | null
  /** the next request reaches the shop with a broken signature; null: the platform signs nothing */
  tamperSignatureNext: (() => void) | null
  close(): Promise<void>
}

export interface ConformanceSubject<C extends SourceCredentials = SourceCredentials> {
  /** the table's row, e.g. "woocommerce (http, OAuth 1.0a)" */
  name: string
  platform: PlatformId
  connector: SourceConnector<C>
  /** customers (records) per page the connector asks for */
  pageSize: number
  /** a shop of a few pages (≥ 3 pages of the connector's page size), or of exactly `records` source records */
  open(opts?: { records?: number }): Promise<ConformanceShop<C>>
  /** the connector's fixture folders: what its mapper made of each input, and what it must make */
  fixtures(): Array<{ name: string; actual: unknown; expected: unknown }>
  /** every secret the credentials carry, as they might leak (raw, base64 pairs…) */
  secrets(credentials: C): string[]
}

export const CONFORMANCE_CASES = [
  'check ok',
  'bad credentials',
  'paging to the end',
  'registration mid-fetch',
  'exact pages',
  '5xx retried',
  'rate limit / cost honoured',
  'token expiry mid-fetch',
  'bad signature refused',
  'resume after kill',
  'abort',
  'mapping fixtures',
  'no credential in logs',
] as const
type Case = (typeof CONFORMANCE_CASES)[number]
type Outcome = 'pass' | 'FAIL' | 'n/a'

/** An abort must be honoured within this time (real milliseconds). */
const PROMPT_MS = 1_000

const idsOf = (pages: CustomerPage[]) => pages.flatMap((p) => p.customers.map((c) => c.sourceId))
const accountsLeftOut = (p: CustomerPage) =>
  Object.entries(p.leftOut).reduce((s, [k, n]) => s + ((NON_ACCOUNT_SKIP_REASONS as readonly string[]).includes(k) ? 0 : (n ?? 0)), 0)

async function readAll<C extends SourceCredentials>(subject: ConformanceSubject<C>, shop: ConformanceShop<C>, cursor: string | null = null, http = shop.http) {
  const pages: CustomerPage[] = []
  for await (const page of subject.connector.pages(shop.credentials, cursor, http)) pages.push(page)
  return pages
}

/** Reads the first page, lets `between` act on the source, then reads on to the end. */
async function readWith<C extends SourceCredentials>(subject: ConformanceSubject<C>, shop: ConformanceShop<C>, between: () => void) {
  const pages: CustomerPage[] = []
  let first = true
  for await (const page of subject.connector.pages(shop.credentials, null, shop.http)) {
    pages.push(page)
    if (first && page.customers.length > 0) {
      first = false
      between()
    }
  }
  return pages
}

const outcomes = new Map<string, Map<Case, Outcome>>()

function record(subject: string, c: Case, outcome: Outcome | null = null): void {
  const row = outcomes.get(subject) ?? new Map<Case, Outcome>()
  outcomes.set(subject, row)
  if (outcome) {
    row.set(c, outcome)
    return
  }
  onTestFinished(({ task }) => {
    row.set(c, task.result?.state === 'pass' ? 'pass' : 'FAIL')
  })
}

/** The table connector × case, as the closing line of the suite prints it. */
export function conformanceTable(): string {
  const head = ['connector', ...CONFORMANCE_CASES]
  const rows = [...outcomes].map(([name, row]) => [name, ...CONFORMANCE_CASES.map((c) => row.get(c) ?? '—')])
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)))
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`
  return [line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n')
}

export function runConformanceTable(subjects: ReadonlyArray<ConformanceSubject<never>>): void {
  for (const s of subjects) runConnectorConformance(s as unknown as ConformanceSubject<SourceCredentials>)
  afterAll(() => {
    console.log(`\nConnector conformance (${subjects.length} connectors × ${CONFORMANCE_CASES.length} cases)\n${conformanceTable()}\n`)
  })
}

export function runConnectorConformance<C extends SourceCredentials>(subject: ConformanceSubject<C>): void {
  describe(`${subject.name}: connector conformance`, () => {
    let shop: ConformanceShop<C>
    /** everything the connector handed out in this case: events, check answers, error messages */
    let said: string[]
    beforeEach(async () => {
      shop = await subject.open()
      said = []
    })
    afterEach(async () => {
      said.push(JSON.stringify(shop.events))
      await shop.close()
    })

    const check = async (credentials: C) => {
      const r = await subject.connector.check(credentials, shop.http)
      said.push(JSON.stringify(r))
      return r
    }

    it('check: a good connection answers ok with a customer count', async () => {
      record(subject.name, 'check ok')
      const r = await check(shop.credentials)
      expect(r).toMatchObject({ ok: true })
      if (!r.ok) return
      expect(r.customerCount).toBeTypeOf('number')
      expect(r.customerCount).toBeGreaterThanOrEqual(shop.expectedCustomers)
    })

    it('check: each kind of bad credentials answers its own code, in the platform’s words', async () => {
      record(subject.name, 'bad credentials')
      expect(shop.badCredentials.length).toBeGreaterThan(0)
      for (const bad of shop.badCredentials) {
        const r = await check(bad.credentials)
        expect(r, bad.kind).toEqual({ ok: false, error: { code: bad.code, message: connectionErrorText(subject.platform, bad.code).pl } })
      }
    })

    it('pages: read to the very end, every customer exactly once and well-formed', async () => {
      record(subject.name, 'paging to the end')
      const pages = await readAll(subject, shop)
      expect(pages.length).toBeGreaterThan(2)
      const ids = idsOf(pages)
      expect(ids).toHaveLength(shop.expectedCustomers)
      expect(new Set(ids).size).toBe(ids.length)
      let read = 0
      for (const p of pages) {
        for (const c of p.customers) expect(() => CanonicalCustomer.parse(c)).not.toThrow()
        // left out accounts count as read; newsletter-only rows and deleted addresses are no accounts
        expect(p.read).toBe(p.customers.length + accountsLeftOut(p))
        read += p.read
        expect(typeof p.cursor).toBe('string')
        if (p.total !== null) expect(p.total).toBeGreaterThanOrEqual(read)
      }
      const after = await readAll(subject, shop, pages.at(-1)!.cursor)
      expect(idsOf(after)).toEqual([])
    })

    it('pages: a customer registering mid-fetch is read once, and nobody is lost or doubled', async () => {
      record(subject.name, 'registration mid-fetch')
      const before = idsOf(await readAll(subject, shop))
      const added: string[] = []
      const ids = idsOf(await readWith(subject, shop, () => added.push(shop.addCustomer(), shop.addCustomer())))
      expect(new Set(ids).size).toBe(ids.length)
      expect([...ids].sort()).toEqual([...before, ...added].sort())
    })

    it('pages: a 5xx answer is retried and the read completes', async () => {
      record(subject.name, '5xx retried')
      const ids = idsOf(await readWith(subject, shop, () => shop.serverErrorNext(1)))
      expect(ids).toHaveLength(shop.expectedCustomers)
      expect(shop.events.filter((e) => e.type === 'retry').length).toBeGreaterThanOrEqual(1)
    })

    it('pages: the platform’s rate-limit answer is waited out as long as it asks', async () => {
      const rateLimit = shop.rateLimitNext
      if (!rateLimit) {
        record(subject.name, 'rate limit / cost honoured', 'n/a')
        return
      }
      record(subject.name, 'rate limit / cost honoured')
      const ids = idsOf(await readWith(subject, shop, () => rateLimit(1, 3)))
      expect(ids).toHaveLength(shop.expectedCustomers)
      const waits = shop.events.flatMap((e) => (e.type === 'rate_limit_wait' ? [e.ms] : []))
      expect(Math.max(0, ...waits)).toBeGreaterThanOrEqual(3_000)
    })

    it('pages: a shop of exactly three full pages is read once, whatever the page after the last answers', async () => {
      record(subject.name, 'exact pages')
      await shop.close()
      shop = await subject.open({ records: subject.pageSize * 3 })
      const ids = idsOf(await readAll(subject, shop))
      expect(new Set(ids).size).toBe(ids.length)
      expect(ids).toHaveLength(shop.expectedCustomers)
    })

    it('pages: a token that dies mid-fetch is renewed and the read completes', async () => {
      const expire = shop.expireTokenNow
      if (!expire) {
        record(subject.name, 'token expiry mid-fetch', 'n/a')
        return
      }
      record(subject.name, 'token expiry mid-fetch')
      const ids = idsOf(await readWith(subject, shop, expire))
      expect(ids).toHaveLength(shop.expectedCustomers)
      expect(new Set(ids).size).toBe(ids.length)
      expect(shop.events.some((e) => e.type === 'reauth')).toBe(true)
    })

    it('pages: a request the shop finds wrongly signed fails the read with SOURCE_AUTH_FAILED, no secret in it', async () => {
      const tamper = shop.tamperSignatureNext
      if (!tamper) {
        record(subject.name, 'bad signature refused', 'n/a')
        return
      }
      record(subject.name, 'bad signature refused')
      const error = await readWith(subject, shop, tamper).then(
        () => null,
        (e: unknown) => e,
      )
      expect(error).toBeInstanceOf(SourceError)
      expect((error as SourceError).code).toBe('SOURCE_AUTH_FAILED')
      said.push((error as SourceError).message)
      for (const secret of subject.secrets(shop.credentials)) expect((error as SourceError).message).not.toContain(secret)
    })

    it('pages: resuming from a checkpoint taken before a kill yields the rest, no gap, no duplicate', async () => {
      record(subject.name, 'resume after kill')
      const full = idsOf(await readAll(subject, shop))
      const head: CustomerPage[] = []
      for await (const page of subject.connector.pages(shop.credentials, null, shop.http)) {
        head.push(page)
        if (idsOf(head).length >= full.length / 2) break // the process "dies" here
      }
      const headIds = idsOf(head)
      expect(headIds.length).toBeGreaterThan(0)
      expect(headIds.length).toBeLessThan(full.length)
      const tail = idsOf(await readAll(subject, shop, head.at(-1)!.cursor))
      expect([...headIds, ...tail]).toEqual(full)
    })

    it('pages: an abort stops the read promptly', async () => {
      record(subject.name, 'abort')
      const ctrl = new AbortController()
      const gen = subject.connector.pages(shop.credentials, null, { ...shop.http, signal: ctrl.signal })
      const first = await gen.next()
      expect(first.done).toBe(false)
      const started = performance.now()
      const pending = gen.next()
      ctrl.abort()
      await expect(pending).rejects.toBeDefined()
      expect(performance.now() - started).toBeLessThan(PROMPT_MS)
      await expect(gen.next()).resolves.toMatchObject({ done: true })
    })

    it('mapping: every fixture folder maps to its expected canonical customer', () => {
      record(subject.name, 'mapping fixtures')
      const cases = subject.fixtures()
      expect(cases.length).toBeGreaterThan(0)
      for (const f of cases) expect(f.actual, f.name).toEqual(f.expected)
    })

    it('logs: no credential in any event, check answer or error the connector hands out', async () => {
      record(subject.name, 'no credential in logs')
      // a failing read and a failing check, the places a careless client would quote its request
      for (const bad of shop.badCredentials) {
        await check(bad.credentials)
        try {
          for await (const _ of subject.connector.pages(bad.credentials, null, shop.http)) break
        } catch (e) {
          said.push(e instanceof SourceError ? `${e.code} ${e.message}` : String(e))
        }
      }
      await readWith(subject, shop, () => shop.serverErrorNext(1))
      said.push(JSON.stringify(shop.events))
      const secrets = [shop.credentials, ...shop.badCredentials.map((b) => b.credentials)].flatMap((c) => subject.secrets(c)).filter((s) => s.length >= 6)
      expect(secrets.length).toBeGreaterThan(0)
      const text = said.join('\n')
      for (const s of secrets) expect(text.includes(s), `a secret appears in what the connector handed out`).toBe(false)
    })
  })
}
