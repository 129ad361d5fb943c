/**
 * Steps 3–9 of the mission through HTTP, as an admin would click them: check the connection
 * (a wrong password first), queue the import, wait for the file, verify, import everyone,
 * notify everyone. Returns the figures a person would want to see.
 */
import { z } from 'zod'
import {
  BufferList,
  ConnectionCheckResponse,
  ImportCustomersResponse,
  ImportDetails,
  ImportedList,
  NotifyResponse,
  type CustomerErrorCode,
} from '@cm/contracts'
import type { PanelClient } from './panel-client.ts'

export interface FlowInput {
  client: PanelClient
  /** a Shoper shop's API user, or any platform's credentials with the fields to spoil for the bad check */
  source: { domain: string; login: string; password: string } | { credentials: Record<string, string> & { platform: string }; spoil: Record<string, string> }
  shopIds: string[]
  /** how many mails the outbox holds before the run */
  outboxCount: () => Promise<number>
  log?: (line: string) => void
  timeoutMs?: number
}

export interface FlowReport {
  importId: string
  wrongPassword: { ok: false; code: string; message: string }
  check: { customerCount: number | undefined }
  fetched: number
  total: number | null
  written: number
  leftOut: Record<string, number>
  fetchSeconds: number
  rateLimitWaits: number
  /** how long the fetch waited on the source's rate limit or cost bucket */
  rateLimitWaitMs: number
  buffered: number
  imported: number
  failed: number
  failedByCode: Partial<Record<CustomerErrorCode, number>>
  notified: number
  mailsSent: number
  secondImportCreated: number
}

export async function runMigrationFlow(f: FlowInput): Promise<FlowReport> {
  const { client } = f
  const log = f.log ?? (() => {})
  const timeout = f.timeoutMs ?? 300_000
  const src = f.source
  const creds = 'credentials' in src ? src.credentials : { platform: 'shoper', ...src }
  const spoilt = 'credentials' in src ? { ...creds, ...src.spoil } : { ...creds, password: `${src.password}-zle` }

  const bad = await client.call('POST', '/connections/check', ConnectionCheckResponse, spoilt)
  if (bad.ok) throw new Error('a wrong password was accepted')
  log(`Sprawdź połączenie (złe hasło): Połączenie niepoprawne — ${bad.error.code}: ${bad.error.message}`)
  const good = await client.call('POST', '/connections/check', ConnectionCheckResponse, creds)
  if (!good.ok) throw new Error(`connection check failed: ${good.error.code} ${good.error.message}`)
  log(`Sprawdź połączenie: Połączenie poprawne — ${good.shopName ?? ''}, ${good.customerCount ?? '?'} klientów w źródle`)

  const created = await client.call('POST', '/imports', ImportDetails, { credentials: creds, shopIds: f.shopIds })
  log(`Zapisz i zleć import: import #${created.id}, status ${created.status}`)
  const started = Date.now()
  const fetched = await client.until(
    () => client.call('GET', `/imports/${created.id}`, ImportDetails),
    (d) => d.status !== 'awaiting_xml',
    timeout,
    (d) => log(`  pobieranie: ${d.progress.fetched}/${d.progress.total ?? '?'}`),
  )
  if (fetched.status !== 'awaiting_verification') throw new Error(`fetch ended in ${fetched.status}: ${JSON.stringify(fetched.generation.lastError)}`)
  const fetchSeconds = (Date.now() - started) / 1000
  log(`Oczekuje na weryfikację: ${fetched.file.customers} klientów w pliku (${fetched.file.size} B) w ${fetchSeconds.toFixed(1)} s`)

  await client.call('POST', `/imports/${created.id}/verify`, ImportDetails)
  const verified = await client.until(() => client.call('GET', `/imports/${created.id}`, ImportDetails), (d) => d.status !== 'verifying', timeout)
  if (verified.status !== 'buffered' && verified.status !== 'completed') throw new Error(`verification: ${JSON.stringify(verified.verification)}`)
  log(`Sprawdź i zaimportuj: ${verified.counts.pending} klientów w buforze`)

  const all = await client.call('POST', `/imports/${created.id}/buffer/import`, ImportCustomersResponse, { all: true })
  log(`Importuj klientów do bazy sklepu: ${all.queued} w kolejce`)
  const afterImport = await client.until(
    () => client.call('GET', `/imports/${created.id}`, ImportDetails),
    (d) => d.counts.pending === 0,
    timeout,
  )

  const failedByCode: Partial<Record<CustomerErrorCode, number>> = {}
  let cursor: string | null = null
  do {
    const page: z.infer<typeof BufferList> = await client.call('GET', `/imports/${created.id}/buffer?state=failed&limit=500${cursor ? `&cursor=${cursor}` : ''}`, BufferList)
    for (const row of page.items) for (const e of row.errors) failedByCode[e.code] = (failedByCode[e.code] ?? 0) + 1
    cursor = page.nextCursor
  } while (cursor)

  // a second "import all" over the same rows must create nobody
  const customersBefore = await countPanelCustomers(client)
  await client.call('POST', `/imports/${created.id}/buffer/import`, ImportCustomersResponse, { all: true })
  await client.until(() => client.call('GET', `/imports/${created.id}`, ImportDetails), (d) => d.counts.pending === 0, timeout)
  const secondImportCreated = (await countPanelCustomers(client)) - customersBefore

  const mailsBefore = await f.outboxCount()
  await client.call('POST', `/imports/${created.id}/imported/notify`, NotifyResponse, { all: true })
  const notifiedList = await client.until(
    () => client.call('GET', `/imports/${created.id}/imported?notified=false&limit=1`, ImportedList),
    (l) => l.total === 0,
    timeout,
  )
  void notifiedList
  const final = await client.call('GET', `/imports/${created.id}`, ImportDetails)
  const mailsSent = (await f.outboxCount()) - mailsBefore
  log(`Poinformowano klienta o założeniu konta: ${final.counts.notified}, maili w skrzynce: ${mailsSent}`)

  return {
    importId: created.id,
    wrongPassword: { ok: false, code: bad.error.code, message: bad.error.message },
    check: { customerCount: good.customerCount },
    fetched: fetched.progress.fetched,
    total: fetched.progress.total,
    written: fetched.file.customers ?? 0,
    leftOut: fetched.generation.leftOut as Record<string, number>,
    fetchSeconds,
    rateLimitWaits: fetched.generation.rateLimitWaits,
    rateLimitWaitMs: fetched.generation.rateLimitWaitMs,
    buffered: verified.counts.pending,
    imported: afterImport.counts.imported,
    failed: afterImport.counts.failed,
    failedByCode,
    notified: final.counts.notified,
    mailsSent,
    secondImportCreated,
  }
}

const CustomersTotal = z.object({ total: z.number() })
async function countPanelCustomers(client: PanelClient): Promise<number> {
  const r = await client.raw('GET', '/api/customers?limit=1')
  return CustomersTotal.parse(JSON.parse(r.text)).total
}
