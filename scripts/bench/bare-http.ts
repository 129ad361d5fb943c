/**
 * The fetch stage's bare limit: the very requests the connector sent to the source shop (recorded
 * by the shop, same pages, page size, query and bodies), replayed one after another over one
 * keep-alive undici Agent (the client the product uses), each answer read to its last byte and
 * nothing done with it. A Shoper token is fetched again by replaying the auth call and put in
 * place of the recorded one. What stays between the two is the product's own work: parsing,
 * mapping, staging, writing and syncing the XML file, checkpoints, pacing.
 */
import { performance } from 'node:perf_hooks'
import { Agent, fetch } from 'undici'
import type { RecordedRequest } from './source-shop.ts'

export interface BareHttp {
  seconds: number
  requests: number
  bytes: number
  /** answers whose status differs from the one the product got (a refused replay would make the limit meaningless) */
  mismatched: number
}

export async function bareHttpReplay(baseUrl: string, recorded: RecordedRequest[]): Promise<BareHttp> {
  const agent = new Agent({ keepAliveTimeout: 30_000 })
  let token: string | null = null
  let bytes = 0
  let mismatched = 0
  const t0 = performance.now()
  try {
    for (const r of recorded) {
      const headers = { ...r.headers }
      if (token && /^Bearer /i.test(headers.authorization ?? '')) headers.authorization = `Bearer ${token}`
      const res = await fetch(`${baseUrl}${r.path}`, {
        method: r.method,
        headers,
        ...(r.body !== undefined ? { body: r.body } : {}),
        dispatcher: agent,
      })
      const body = new Uint8Array(await res.arrayBuffer())
      bytes += body.length
      if (r.status !== undefined && res.status !== r.status) mismatched++
      if (res.status === 200 && r.path.endsWith('/webapi/rest/auth')) {
        // a fresh token for the rest (the recorded one belongs to the product's session)
        token = (JSON.parse(Buffer.from(body).toString('utf8')) as { access_token?: string }).access_token ?? token
      }
    }
    return { seconds: (performance.now() - t0) / 1000, requests: recorded.length, bytes, mismatched }
  } finally {
    await agent.close()
  }
}
