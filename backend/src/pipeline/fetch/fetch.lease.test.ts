/**
 * The final status of a fetch frees the job's lease in the same update. Before, the lease was
 * released only after the worker exited, and another instance looking in between saw a failed
 * (or finished) import still leased to a job that had ended. Read at the very status event, the
 * row must have no lease, whichever way the fetch ended.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ImportStatus } from '@cm/contracts'
import { generateShoperDemoData } from '../../connectors/shoper/shoper.demo-data.ts'
import { startShoperMock, type RunningShoperMock, type ShoperMockOptions } from '../../connectors/shoper/shoper.mock-server.ts'
import { ImportEntity } from '../../db/import.entity.ts'
import { jobContext } from '../../testing/job-context.ts'
import { TEST_USERS } from '../../testing/memory-ports.ts'
import { startTestModule } from '../../testing/test-module.ts'
import { createImport } from '../import-job.service.ts'
import { startFetch } from './fetch.runner.ts'

const LOGIN = 'api-migracja'
const PASSWORD = 'haslo-zrodla'
let t: Awaited<ReturnType<typeof startTestModule>>
const shops: RunningShoperMock[] = []

beforeAll(async () => {
  t = await startTestModule()
})
afterAll(async () => {
  await t?.close()
  await Promise.all(shops.map((s) => s.close()))
})

/** runs one fetch on its own instance and reads the lease at the moment its final status is published */
async function leaseAtFinalStatus(opts: Partial<ShoperMockOptions>): Promise<{ status: ImportStatus; leaseOwner: string | null }> {
  const s = await startShoperMock({ port: 0, login: LOGIN, password: PASSWORD, data: generateShoperDemoData({ count: 120, seed: 7 }), bucket: { limit: 40, leakPerSecond: 20 }, ...opts })
  shops.push(s)
  const { ctx, bree } = jobContext({ orm: t.orm, storageDir: t.ports.storage.dir, instanceId: 'lease-test' })
  ctx.stopping = true // the row is created without starting; the test starts it below
  try {
    const row = await createImport(ctx, { credentials: { platform: 'shoper', domain: s.url, login: LOGIN, password: PASSWORD }, shopIds: ['1'] }, TEST_USERS.operator!)
    ctx.stopping = false
    const seen = new Promise<{ status: ImportStatus; leaseOwner: string | null }>((resolve) => {
      ctx.events.subscribe(String(row.id), (e) => {
        if (e.type !== 'status' || e.status === 'awaiting_xml') return
        // read at once, as another instance could in the same moment
        void t.orm.em
          .fork()
          .findOneOrFail(ImportEntity, { id: row.id })
          .then((r) => resolve({ status: e.status, leaseOwner: r.leaseOwner ?? null }))
      })
    })
    await startFetch(ctx, row.id)
    return await seen
  } finally {
    await Promise.all([...ctx.jobs.values()].map((j) => j.done))
    await bree.stop()
  }
}

describe('the lease of a fetch', () => {
  it('is gone at the moment the fetch fails (a source answering 500 past the retries)', async () => {
    const r = await leaseAtFinalStatus({ faults: { status500Every: 1 } })
    expect(r).toEqual({ status: 'fetch_failed', leaseOwner: null })
  })

  it('is gone at the moment the file is complete', async () => {
    const r = await leaseAtFinalStatus({})
    expect(r).toEqual({ status: 'awaiting_verification', leaseOwner: null })
  })
})
