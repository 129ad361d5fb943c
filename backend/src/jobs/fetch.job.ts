/** bree entry: fetch every customer of one import from its source into the XML file. */
import type { GenerationDetails, SourceCredentials } from '@cm/contracts'
import { runAsJob } from './job.worker.ts'
import { runFetchStage } from '../pipeline/fetch/fetch.stage.ts'
import { connectorFor } from '../connectors/registry.ts'
import { SourceError } from '../connectors/connector.ts'
import { createGuardedFetch } from '../security/address-guard.ts'
import { credentialSecrets, redactSecrets } from '../security/redact.ts'
import type { FetchCheckpoint } from '../db/import.entity.ts'
import type { ModuleSettings } from '../ports.ts'

export interface FetchJobPayload {
  importId: number
  credentials: SourceCredentials
  filePath: string
  header: { platform: string; domain: string; generatedAt: string }
  checkpoint: FetchCheckpoint | null
  generation: GenerationDetails
  settings: Pick<ModuleSettings, 'allowPrivateSources' | 'allowHttpSources' | 'source'>
}

export type FetchJobMessage =
  | { type: 'checkpoint'; checkpoint: FetchCheckpoint; progress: { fetched: number; total: number | null }; generation: GenerationDetails }
  | { type: 'result'; result: FetchJobResult }

export type FetchJobResult =
  | { ok: true; bytes: number; customers: number; generation: GenerationDetails }
  | { ok: false; code: string; message: string; generation: GenerationDetails }

runAsJob<FetchJobPayload>(async ({ payload, signal, post }): Promise<FetchJobResult> => {
  const connector = connectorFor(payload.credentials.platform)
  if (!connector) return { ok: false, code: 'PLATFORM_UNAVAILABLE', message: 'platform not supported', generation: payload.generation }
  const s = payload.settings
  const fetch = createGuardedFetch({ allowPrivate: s.allowPrivateSources, allowHttp: s.allowHttpSources })
  try {
    const done = await runFetchStage({
      connector,
      credentials: payload.credentials,
      filePath: payload.filePath,
      header: payload.header,
      checkpoint: payload.checkpoint,
      generation: payload.generation,
      http: { fetch, signal, ...s.source },
      now: () => new Date(),
      onCheckpoint: (checkpoint, progress, generation) => post({ type: 'checkpoint', checkpoint, progress, generation }),
    })
    return { ok: true, ...done }
  } catch (e) {
    const code = e instanceof SourceError ? e.code : 'SOURCE_BAD_RESPONSE'
    // the reason is stored and shown: whatever the source echoed of the credentials is scrubbed first
    const message = redactSecrets(e instanceof Error ? e.message : String(e), credentialSecrets(payload.credentials)) as string
    return { ok: false, code, message, generation: payload.generation }
  }
})
