/**
 * `npm run bench -- --customers N [--database sqlite|postgres] [--platform shoper|woocommerce|prestashop|shopify|magento2] [--keep]`
 * The product end to end as a host runs it — the mock host in a child process, a source shop in
 * another, fetch → XML → verify → buffer → import all → notify all into the host's SMTP sink —
 * and, on the same data while the product is idle, each stage's bare limit on this machine.
 * Prints a line per stage (time, rate, bare rate, ratio), the lists' latency under the import's
 * load, memory, the remote's size, and as the very last line the whole result as JSON.
 * `--only shoper-throttled`: the Shoper fetch against Shoper's default bucket (scripts/bench-shoper.ts).
 */
import { readdirSync, statSync } from 'node:fs'
import { once } from 'node:events'
import { cpus } from 'node:os'
import path from 'node:path'
import { ImportedList } from '@cm/contracts'
import { benchShoperThrottled } from '../bench-shoper.ts'
import { bareHttpReplay } from './bare-http.ts'
import { BARE_MAIL_SAMPLE, bareMailPool, type SampleMail } from './bare-mail.ts'
import { bareInserts } from './bare-sqlite.ts'
import { bareSaxes, productVerifierAlone } from './bare-xml.ts'
import { exited, installSignalHandlers, makeWorkDir, runCleanup, stopping } from './cleanup.ts'
import { startHost, type BenchHost } from './host.ts'
import { sampleLists, type ListFigures } from './lists.ts'
import { preparePostgres } from './postgres.ts'
import { benchPeakRssMB } from './proc.ts'
import { remoteSize } from './remote.ts'
import { runFetch, runImportAll, runNotifyAll, runVerify } from './stages.ts'
import { startSourceShop } from './source.ts'
import { checkResultShape, MB, parseArgs, perSecond, ratioOf, round, stageFigures, stageLine, type BenchResult } from './stats.ts'

const args = (() => {
  try {
    return parseArgs(process.argv.slice(2))
  } catch (err) {
    console.error((err as Error).message)
    process.exit(2)
  }
})()
const log = (s: string) => console.log(s)

if (args.only === 'shoper-throttled') {
  await benchShoperThrottled()
  process.exit(0)
}
if (args.only) {
  console.error(`--only knows shoper-throttled, got ${args.only}`)
  process.exit(2)
}

/** the XML file the fetch wrote (the module's storage folder under DATA_DIR) */
function xmlFileOf(host: BenchHost): string {
  const dir = path.join(host.dataDir, 'customer-migration')
  const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.xml')).map((f) => path.join(dir, f))
  const file = files.sort((a, b) => statSync(b).size - statSync(a).size)[0]
  if (!file) throw new Error(`no XML file in ${dir}`)
  return file
}

async function sampleMail(host: BenchHost, importId: string): Promise<SampleMail> {
  const first = await host.client.call('GET', `/imports/${importId}/imported?notified=true&limit=1`, ImportedList)
  const to = first.items[0]?.email
  if (!to) throw new Error('no notified customer to take a sample mail from')
  const r = await host.client.raw('GET', `/api/outbox?to=${encodeURIComponent(to)}`)
  const mail = (JSON.parse(r.text) as { items: Array<{ from: string; subject: string; text: string; shopId: string | null; templateId: string | null }> }).items[0]
  if (!mail) throw new Error(`the outbox has no mail to ${to}`)
  return { from: mail.from, subject: mail.subject, text: mail.text, headers: { 'X-Panel-Shop': mail.shopId ?? '', 'X-Panel-Template': mail.templateId ?? '' } }
}

/** for the error report: the host's last log lines */
let hostForErrors: BenchHost | null = null

async function main(): Promise<BenchResult> {
  const work = makeWorkDir(() => args.keep)
  log(`== customer-migration bench: ${args.customers} source customers, ${args.platform}, ${args.database}; Node ${process.version}, ${cpus().length} cores; files in ${work}`)
  const pg = args.database === 'postgres' ? await preparePostgres(work, () => args.keep) : null
  if (pg) log(`PostgreSQL: ${pg.embedded ? 'embedded (fsync off)' : 'DATABASE_URL'}`)
  const [source, host] = await Promise.all([startSourceShop(args.platform, args.customers), startHost(work, pg?.hostUrl ?? null)])
  hostForErrors = host
  log(`source shop ${source.url}: ${source.records} records generated in ${source.generateSeconds.toFixed(1)} s; host ${host.baseUrl} (pid ${host.child.pid})`)

  // fetch, then its bare limit while the host is idle
  log('fetch…')
  const fetch = await runFetch(host.client, source.credentials, log)
  const fetchRss = host.peakRssMB()
  const file = xmlFileOf(host)
  const fileBytes = fetch.details.file.size
  const written = fetch.details.file.customers ?? fetch.details.generation.customersWritten
  log(`fetched in ${fetch.wallSeconds.toFixed(1)} s; replaying its requests…`)
  const recorded = await source.requests()
  const http = await bareHttpReplay(source.url, recorded)
  // the mock's own time making the answers, for the product's fetch and for the replay
  const mockMs = (rs: Array<{ ms?: number }>) => rs.reduce((sum, r) => sum + (r.ms ?? 0), 0)
  const sourceSeconds = mockMs(recorded) / 1000
  const bareSourceSeconds = mockMs((await source.requests()).slice(recorded.length)) / 1000
  if (http.mismatched > 0) log(`warning: ${http.mismatched} of ${http.requests} replayed requests were answered otherwise than the product's`)
  const sourceRss = source.peakRssMB()
  await source.stop()

  // verify + buffer (one host step: the worker parses, the main thread stores, batch by batch)
  log('verify…')
  const verify = await runVerify(host.client, fetch.importId)
  log(`verified in ${verify.wallSeconds.toFixed(1)} s; bare parses…`)
  const verifyRss = host.peakRssMB()
  const buffered = verify.details.counts.pending
  const saxes = await bareSaxes(file)
  const parser = await productVerifierAlone(file)

  // import all, with the lists sampled under its load
  log('import all, lists sampled meanwhile…')
  let lists: ListFigures | null = null
  const imp = await runImportAll(host.client, fetch.importId, async (running) => {
    lists = await sampleLists(host.client, fetch.importId, running)
  })
  const importRss = host.peakRssMB()
  const imported = imp.details.counts.imported
  log(`imported in ${imp.wallSeconds.toFixed(1)} s; bare inserts…`)
  const inserts = await bareInserts(file, work, imported)
  log('notify all…')

  // notify all, then the same number of mails through a bare pool to the same sink
  const notify = await runNotifyAll(host.client, fetch.importId, imported)
  const notified = notify.details.counts.notified
  const hostPeak = host.peakRssMB() ?? 0
  if (!notify.complete) log(`warning: notify-all settled at ${notified} of ${imported} (the product reports no failed sends; see the imported list)`)
  log(`notified in ${notify.wallSeconds.toFixed(1)} s; bare mail pool…`)
  const sample = notified > 0 ? await sampleMail(host, fetch.importId) : null
  // the limit is a rate: past BARE_MAIL_SAMPLE mails it no longer moves, and sending a million bare mails would add ~20 minutes
  const mail = sample ? await bareMailPool(host.smtpPort, sample, inserts.emails, Math.min(notified, BARE_MAIL_SAMPLE)) : { seconds: 0, sent: 0 }
  // a rate, not a total: 2,000 mails tell it (the host's way is as slow as the product, hours at a million)
  const unpooled = sample ? await bareMailPool(host.smtpPort, sample, inserts.emails, Math.min(notified, 2_000), false) : { seconds: 0, sent: 0 }
  await host.stop()

  const fetchSeconds = fetch.productSeconds ?? fetch.wallSeconds
  const verifySeconds = verify.productSeconds ?? verify.wallSeconds
  const mbps = (s: number) => round(fileBytes / MB / s, 2)
  const stages: BenchResult['stages'] = {
    fetch: stageFigures(written, fetchSeconds, { count: written, seconds: http.seconds }, {
      wallSeconds: round(fetch.wallSeconds, 3), mbPerSecond: mbps(fetchSeconds), bareMbPerSecond: mbps(http.seconds), fileMB: round(fileBytes / MB, 1),
      // without the mock's own time on both sides: what the product adds over plain HTTP when the mock's cost dominates
      sourceSeconds: round(sourceSeconds, 3), bareSourceSeconds: round(bareSourceSeconds, 3),
      netRatio: round(ratioOf(perSecond(written, fetchSeconds - sourceSeconds), perSecond(written, http.seconds - bareSourceSeconds)), 3),
      fetched: fetch.details.progress.fetched, leftOut: fetch.details.generation.leftOut, requests: http.requests, httpMB: round(http.bytes / MB, 1),
      hostPeakRssMB: fetchRss, sourcePeakRssMB: sourceRss,
    }),
    verify: stageFigures(buffered, verifySeconds, { count: saxes.customers, seconds: saxes.seconds }, {
      wallSeconds: round(verify.wallSeconds, 3), mbPerSecond: mbps(verifySeconds), bareMbPerSecond: mbps(saxes.seconds),
      parserOnlySeconds: round(parser.seconds, 3), parserOnlyRatio: round(saxes.seconds / parser.seconds, 3), parserRetainedHeapMB: inserts.retainedHeapMB, hostPeakRssMB: verifyRss,
    }),
    buffer: stageFigures(buffered, verify.wallSeconds, { count: inserts.buffer.rows, seconds: inserts.buffer.seconds }, { sameStepAs: 'verify', hostPeakRssMB: verifyRss }),
    import: stageFigures(imported, imp.wallSeconds, { count: inserts.panel.customers, seconds: inserts.panel.seconds }, {
      queued: imp.queued, failed: imp.details.counts.failed, rowsPerSecond: round((imported + imp.details.counts.failed) / imp.wallSeconds, 1), hostPeakRssMB: importRss,
    }),
    notify: stageFigures(notified, notify.wallSeconds, { count: mail.sent, seconds: mail.seconds }, {
      complete: notify.complete, hostPeakRssMB: hostPeak,
      // the host's way of sending (a connection per mail) without the module: its share of the gap
      bareUnpooled: { seconds: round(unpooled.seconds, 3), perSecond: round(perSecond(unpooled.sent, unpooled.seconds), 1), count: unpooled.sent },
    }),
  }
  const l = lists as ListFigures | null
  if (!l) throw new Error('the list sampler did not run')
  return {
    customers: args.customers,
    database: args.database === 'postgres' ? 'postgresql' : 'sqlite',
    peakRssMB: hostPeak,
    stages,
    lists: { ...l },
    remote: { ...remoteSize() },
    platform: args.platform,
    benchPeakRssMB: benchPeakRssMB(),
    node: process.version,
  }
}

installSignalHandlers()
let result: BenchResult
try {
  result = await main()
} catch (err) {
  // after Ctrl+C the stages fail because the host is going away: nothing to report
  if (stopping()) {
    await runCleanup()
    process.exit(130)
  }
  console.error(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`)
  const h = hostForErrors as BenchHost | null // set inside main(), which TS does not follow
  // a host that died has its last words (and its exit line) still in the pipe: let them arrive
  if (h) {
    if (!exited(h.child)) await Promise.race([once(h.child, 'exit'), new Promise((r) => setTimeout(r, 3_000))])
    await new Promise((r) => setTimeout(r, 200))
    console.error(`host's last lines:\n${h.output().slice(-30).join('\n')}`)
  }
  await runCleanup()
  process.exit(1)
}
await runCleanup()
const s = result.stages
log('')
log('stage      seconds        rate            | bare limit on the same data           | ratio = rate / bare rate')
log(stageLine('fetch', 'cust', s.fetch) + ` (XML ${s.fetch.fileMB} MB; HTTP ${s.fetch.httpMB} MB in ${s.fetch.requests} requests; wall ${s.fetch.wallSeconds} s;` +
  ` the mock's own time ${s.fetch.sourceSeconds} s / bare ${s.fetch.bareSourceSeconds} s, ratio without it ${s.fetch.netRatio})`)
log(stageLine('verify', 'cust', s.verify) + ` (parser alone ${s.verify.parserOnlySeconds} s = ${s.verify.parserOnlyRatio}× saxes; retained heap ${s.verify.parserRetainedHeapMB} MB)`)
log(stageLine('buffer', 'rows', s.buffer) + ' (same host step as verify, until the rows are visible)')
log(stageLine('import', 'cust', s.import) + ` (${s.import.failed} failed; ${s.import.rowsPerSecond} rows/s)`)
log(stageLine('notify', 'mail', s.notify) + ` (bare pool on ${(s.notify.bare as { count: number }).count} of the mails; a connection per mail, as the host's mail port sends: ${(s.notify.bareUnpooled as { perSecond: number }).perSecond} mail/s)`)
const lf = result.lists as unknown as ListFigures
log(`lists under import load: p50 ${lf.p50ms} ms, p95 ${lf.p95ms} ms, max ${lf.maxMs} ms over ${lf.requests} requests (${lf.underLoad} while the import ran: p50 ${lf.p50UnderLoadMs}, p95 ${lf.p95UnderLoadMs} ms)`)
for (const [k, v] of Object.entries(lf.byKind)) log(`  ${k.padEnd(22)} ${String(v.requests).padStart(4)} requests: p50 ${v.p50ms} ms, p95 ${v.p95ms} ms`)
log(`peak RSS: host ${result.peakRssMB} MB, source shop ${String(s.fetch.sourcePeakRssMB)} MB, bench ${String(result.benchPeakRssMB)} MB`)
log(result.remote.built ? `remote JS (gzip, without shared vue/pinia): ${result.remote.initialGzipKB} kB at once, ${result.remote.lazyGzipKB} kB lazy` : 'remote JS: no build in frontend/dist (npm run build); sizes 0')
const problems = checkResultShape(result)
if (problems.length) console.error(`result shape: ${problems.join('; ')}`)
console.log(JSON.stringify(result))
process.exit(problems.length ? 1 : 0)
