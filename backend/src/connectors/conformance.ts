/**
 * The tests every source connector must pass, whatever its platform: connection check,
 * a complete read, exact resume from a mid-way cursor, and prompt abort. A connector's
 * `<platform>.conformance.test.ts` calls runConnectorConformance with its mock behind it.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { CanonicalCustomer, CONNECTION_ERROR_MESSAGES, type SourceCredentials } from '@cm/contracts'
import type { CustomerPage, SourceConnector, SourceHttpOptions } from './connector.ts'

export interface ConformanceEnv<C extends SourceCredentials = SourceCredentials> {
  connector: SourceConnector<C>
  credentials: C
  /** same source, wrong password (or key) */
  badCredentials: C
  http: SourceHttpOptions
  /** customers the source holds that must reach the file (guests etc. excluded) */
  expectedCustomers: number
  close(): Promise<void>
}

/** An abort must be honoured within this time (real milliseconds). */
const PROMPT_MS = 1_000

async function readAll<C extends SourceCredentials>(env: ConformanceEnv<C>, cursor: string | null = null, http = env.http) {
  const pages: CustomerPage[] = []
  for await (const page of env.connector.pages(env.credentials, cursor, http)) pages.push(page)
  return pages
}

const idsOf = (pages: CustomerPage[]) => pages.flatMap((p) => p.customers.map((c) => c.sourceId))

export function runConnectorConformance<C extends SourceCredentials>(name: string, setup: () => Promise<ConformanceEnv<C>>): void {
  describe(`${name}: connector conformance`, () => {
    let env: ConformanceEnv<C>
    beforeEach(async () => {
      env = await setup()
    })
    afterEach(async () => {
      await env.close()
    })

    it('check: a good connection answers ok with a customer count', async () => {
      const r = await env.connector.check(env.credentials, env.http)
      expect(r).toMatchObject({ ok: true })
      if (!r.ok) return
      expect(r.customerCount).toBeTypeOf('number')
      expect(r.customerCount).toBeGreaterThanOrEqual(env.expectedCustomers)
    })

    it('check: bad credentials answer SOURCE_AUTH_FAILED with its Polish message', async () => {
      const r = await env.connector.check(env.badCredentials, env.http)
      expect(r).toEqual({
        ok: false,
        error: { code: 'SOURCE_AUTH_FAILED', message: CONNECTION_ERROR_MESSAGES.SOURCE_AUTH_FAILED.pl },
      })
    })

    it('pages: read to the end, every customer exactly once and well-formed', async () => {
      const pages = await readAll(env)
      expect(pages.length).toBeGreaterThan(0)
      const ids = idsOf(pages)
      expect(ids).toHaveLength(env.expectedCustomers)
      expect(new Set(ids).size).toBe(ids.length)
      let read = 0
      for (const p of pages) {
        for (const c of p.customers) expect(() => CanonicalCustomer.parse(c)).not.toThrow()
        // newsletter-only subscribers are no accounts: reported as left out, not counted as read
        const leftOut = Object.entries(p.leftOut).reduce((s, [k, n]) => s + (k === 'newsletter_only' ? 0 : (n ?? 0)), 0)
        expect(p.read).toBe(p.customers.length + leftOut)
        read += p.read
        expect(typeof p.cursor).toBe('string')
        if (p.total !== null) expect(p.total).toBeGreaterThanOrEqual(read)
      }
      // resuming after the last page finds nothing more
      const after = await readAll(env, pages.at(-1)!.cursor)
      expect(idsOf(after)).toEqual([])
    })

    it('pages: resuming from a cursor taken mid-way yields the rest, no gap, no duplicate', async () => {
      const full = idsOf(await readAll(env))
      const head: CustomerPage[] = []
      const it1 = env.connector.pages(env.credentials, null, env.http)
      for await (const page of it1) {
        head.push(page)
        if (idsOf(head).length >= full.length / 2) break // the process "dies" here
      }
      const headIds = idsOf(head)
      expect(headIds.length).toBeGreaterThan(0)
      expect(headIds.length).toBeLessThan(full.length) // needs a source spanning several pages
      const tail = idsOf(await readAll(env, head.at(-1)!.cursor))
      expect([...headIds, ...tail]).toEqual(full)
    })

    it('pages: an abort stops the read promptly', async () => {
      const ctrl = new AbortController()
      const http = { ...env.http, signal: ctrl.signal }
      const gen = env.connector.pages(env.credentials, null, http)
      const first = await gen.next()
      expect(first.done).toBe(false)
      const started = performance.now()
      const pending = gen.next()
      ctrl.abort()
      await expect(pending).rejects.toBeDefined()
      expect(performance.now() - started).toBeLessThan(PROMPT_MS)
      // and nothing more comes out of it
      await expect(gen.next()).resolves.toMatchObject({ done: true })
    })
  })
}
