/**
 * Source pages -> XML file, resumable. After each page the file is synced and a checkpoint
 * (connector cursor + file position) handed to the caller, who persists it; a restart
 * truncates the file to the last persisted position and asks the source for what follows.
 */
import type { GenerationDetails, Progress, SourceCredentials } from '@cm/contracts'
import type { SourceConnector, SourceHttpOptions } from '../../connectors/connector.ts'
import type { FetchCheckpoint } from '../../db/import.entity.ts'
import { CustomerXmlWriter } from '../xml/xml.writer.ts'
import { addLeftOut, countEvent } from './generation.ts'
import { workDirFor } from './work-dir.ts'
import { rm } from 'node:fs/promises'

export interface FetchStageInput {
  connector: SourceConnector<SourceCredentials>
  credentials: SourceCredentials
  filePath: string
  header: { platform: string; domain: string; generatedAt: string }
  checkpoint: FetchCheckpoint | null
  generation: GenerationDetails
  http: Omit<SourceHttpOptions, 'onEvent'>
  now: () => Date
  onCheckpoint(cp: FetchCheckpoint, progress: Progress, generation: GenerationDetails): Promise<void> | void
}

export async function runFetchStage(input: FetchStageInput): Promise<{ bytes: number; customers: number; generation: GenerationDetails }> {
  const g = input.generation
  g.startedAt ??= input.now().toISOString()
  g.lastError = null
  const cp = input.checkpoint
  const writer = cp
    ? await CustomerXmlWriter.resume(input.filePath, cp)
    : await CustomerXmlWriter.create(input.filePath, input.header)
  let cursor = cp?.cursor ?? null
  let read = cp?.read ?? 0
  try {
    const http: SourceHttpOptions = { ...input.http, onEvent: (e) => countEvent(g, e) }
    for await (const page of input.connector.pages(input.credentials, cursor, http, { dir: workDirFor(input.filePath) })) {
      await writer.writeCustomers(page.customers)
      read += page.read
      cursor = page.cursor
      g.pagesFetched++
      g.customersWritten += page.customers.length
      addLeftOut(g, page.leftOut)
      const pos = await writer.checkpoint()
      await input.onCheckpoint({ cursor, read, ...pos }, { fetched: read, total: page.total ?? null }, g)
    }
    const done = await writer.finish()
    // the connector removes its scratch when it ends; a crash between its last page and here leaves it
    await rm(workDirFor(input.filePath), { recursive: true, force: true })
    g.finishedAt = input.now().toISOString()
    g.customersWritten = done.customers
    return { ...done, generation: g }
  } catch (e) {
    await writer.abort()
    throw e
  }
}
