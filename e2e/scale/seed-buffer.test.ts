import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BufferList, CUSTOMER_ERROR_CODES } from '@cm/contracts'
import { createMockHost, type MockHost } from '../mock-host/app.ts'
import { loadConfig } from '../mock-host/config.ts'
import { scaleHostEnv, type SeedReport } from './scale-host.ts'
import { bufferRowFor, fieldOf, seedBuffer } from './seed-buffer.ts'

const ROWS = 2_500
const DRAWN = 1_000

/**
 * A small seed with copies (1,000 drawn rows, 2,500 written): each row is what newBufferRow gives
 * for its customer and id, the module's first start counted and indexed them, and the product's
 * own list route finds them by state, error code and search.
 */
describe('seedBuffer', () => {
  let dir: string
  let seed: SeedReport
  let host: MockHost
  let cookie: string

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cm-scale-test-'))
    seed = await seedBuffer(dir, ROWS, { drawn: DRAWN })
    host = await createMockHost(loadConfig({ ...scaleHostEnv(dir), PORT: '0', SMTP_PORT: '0' }), { log: () => undefined })
    await host.start({ listen: false })
    const res = await host.app.request('/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login: 'admin', password: 'admin' }) })
    cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!
  }, 120_000)
  afterAll(async () => {
    await host?.close()
    fs.rmSync(dir, { recursive: true, force: true })
  })

  const list = async (query: string) => {
    const res = await host.app.request(`/api/customer-migration/imports/${seed.importId}/buffer?${query}`, { headers: { cookie } })
    expect(res.status).toBe(200)
    return BufferList.parse(await res.json())
  }

  it('counts every row once, in the states drawn', () => {
    expect(seed.rows).toBe(ROWS)
    expect(seed.counts.pending! + seed.counts.failed! + seed.counts.skipped!).toBe(ROWS)
    expect(seed.counts.failed).toBeGreaterThan(ROWS * 0.04)
    expect(seed.counts.skipped).toBeGreaterThan(0)
    expect(seed.errorIndex).toBe(true)
  })

  it('writes row n as newBufferRow writes drawn row n mod DRAWN with source id n + 1', () => {
    const db = new Database(path.join(dir, 'panel.sqlite'), { readonly: true })
    try {
      const cols = (db.prepare('pragma table_info(xcm_buffer_customer)').all() as Array<{ name: string }>).map((c) => c.name).filter((c) => c !== 'id' && c !== 'updated_at')
      for (const n of [0, 1, DRAWN - 1, DRAWN, DRAWN + 1, 2 * DRAWN + 17, ROWS - 1]) {
        const stored = db.prepare(`select * from xcm_buffer_customer where import_id = ? and position = ?`).get(seed.importId, n) as Record<string, unknown>
        const want = bufferRowFor(seed.importId, n % DRAWN, n, String(n + 1), new Date())
        for (const c of cols) {
          const v = want[fieldOf(c)]
          const expected = v === null ? null : typeof v === 'object' ? JSON.stringify(v) : v
          expect({ n, c, value: stored[c] }).toEqual({ n, c, value: expected })
        }
        expect(typeof stored.updated_at).toBe('number')
      }
    } finally {
      db.close()
    }
  })

  it('is read back by the product: state and error-code filters, search, keyset pages', async () => {
    const first = await list('state=pending,failed&limit=50')
    expect(first.items).toHaveLength(50)
    expect(first.nextCursor).not.toBeNull()
    expect(new Date(first.items[0]!.updatedAt).getTime()).toBeGreaterThan(0)
    const next = await list(`state=pending,failed&limit=50&cursor=${encodeURIComponent(first.nextCursor!)}`)
    expect(next.items[0]!.id).not.toBe(first.items[0]!.id)

    const failed = await list('state=failed&limit=50')
    expect(failed.items.length).toBeGreaterThan(0)
    expect(failed.items.every((r) => r.state === 'failed' && r.errors.length > 0)).toBe(true)

    const codes = new Set(failed.items.flatMap((r) => r.errors.map((e) => e.code)))
    expect([...codes].every((c) => (CUSTOMER_ERROR_CODES as readonly string[]).includes(c))).toBe(true)
    const byCode = await list('state=pending,failed&errorCode=PHONE_INVALID&limit=50')
    expect(byCode.items.length).toBeGreaterThan(0)
    expect(byCode.items.every((r) => r.errors.some((e) => e.code === 'PHONE_INVALID'))).toBe(true)

    const one = await list(`state=pending,failed,skipped&q=${encodeURIComponent(seed.samples.email)}&limit=50`)
    expect(one.items.map((r) => r.customer.email.toLowerCase())).toEqual([seed.samples.email])
  })
})
