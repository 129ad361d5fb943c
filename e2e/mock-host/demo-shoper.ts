/** The demo source shop: a Shoper REST API mock with the demo customer base, login demo/demo. */
import { generateShoperDemoData } from '../../backend/src/connectors/shoper/shoper.demo-data.ts'
import { startShoperMock } from '../../backend/src/connectors/shoper/shoper.mock-server.ts'
import type { ShoperListParamsMode } from '../../backend/src/connectors/shoper/shoper.mock-surface.ts'

export const DEMO_SHOPER_LOGIN = 'demo'
export const DEMO_SHOPER_PASSWORD = 'demo'
/** fixed, so the panel seed and the demo shop agree on which e-mails clash */
export const DEMO_SHOPER_SEED = 42

export type DemoShoperData = ReturnType<typeof generateShoperDemoData>

export function demoShoperData(count: number): DemoShoperData {
  return generateShoperDemoData({ count, seed: DEMO_SHOPER_SEED })
}

export async function startDemoShoper(opts: {
  port: number
  data: DemoShoperData
  /** unset: Shoper's own default (10 calls, 2 per second) */
  bucket?: { limit: number; leakPerSecond: number } | null
  /** undocumented list parameters: refused with 400 (the mock's default), ignored or honoured */
  listParams?: ShoperListParamsMode
  bulk?: boolean
  delayMs?: number
}): Promise<{ url: string; close(): Promise<void> }> {
  const shop = await startShoperMock({
    port: opts.port,
    hostname: '127.0.0.1',
    login: DEMO_SHOPER_LOGIN,
    password: DEMO_SHOPER_PASSWORD,
    data: opts.data,
    ...(opts.bucket ? { bucket: opts.bucket } : {}),
    ...(opts.listParams ? { listParams: opts.listParams } : {}),
    ...(opts.bulk === false ? { bulk: false } : {}),
    ...(opts.delayMs ? { faults: { delayMs: opts.delayMs } } : {}),
  })
  return { url: shop.url, close: () => shop.close() }
}
