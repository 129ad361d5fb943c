/**
 * The buffer and import stages' bare limits: better-sqlite3 prepared inserts, one transaction,
 * into a scratch SQLite file whose tables are made by the mock host's own ORM setup
 * (createPanelOrm with the module's entities: same columns, indexes and unique keys, WAL).
 * - buffer: the rows the verify stage stores (newBufferRow of every customer of the same file);
 * - panel: the customers the import creates (prepareForPanel), with their shop and delivery
 *   address rows, as many as the import created.
 * Rows are built and serialised outside the clock; only the inserts and the commit are timed.
 * The same pass samples the retained heap of the product's verifier (GC every 5,000 customers).
 */
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import Database from 'better-sqlite3'
import { deriveLoginBase, prepareForPanel } from '@cm/contracts/rules'
import { MODULE_ENTITIES } from '../../backend/src/db/index.ts'
import { newBufferRow } from '../../backend/src/pipeline/buffer/buffer.rows.ts'
import { verifyCustomerXml } from '../../backend/src/pipeline/xml/xml.verifier.ts'
import { createPanelOrm } from '../../e2e/mock-host/orm.ts'
import { MB } from './stats.ts'

const BUFFER_BATCH = 500 // VERIFY_BATCH
const PANEL_BATCH = 200 // IMPORT_BATCH

const snake = (s: string) => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)
/** how the ORM hands values to SQLite: JSON columns as text, booleans as 0/1, dates as epoch ms */
const sqlValue = (v: unknown) =>
  v === undefined || v === null ? null : v instanceof Date ? v.getTime() : typeof v === 'boolean' ? (v ? 1 : 0) : typeof v === 'object' ? JSON.stringify(v) : v

/** a prepared insert of every column but `id`, fed with an object's camelCase fields */
function inserter(db: Database.Database, table: string) {
  const cols = (db.prepare(`pragma table_info(${table})`).all() as Array<{ name: string }>).map((c) => c.name).filter((c) => c !== 'id')
  const stmt = db.prepare(`insert into ${table} (${cols.join(', ')}) values (${cols.map(() => '?').join(', ')})`)
  const values = (o: Record<string, unknown>) => {
    const byCol = new Map(Object.entries(o).map(([k, v]) => [snake(k), v]))
    const missing = cols.filter((c) => !byCol.has(c))
    if (missing.length) throw new Error(`bare insert into ${table}: no value for ${missing.join(', ')} (the table changed; update scripts/bench/bare-sqlite.ts)`)
    return cols.map((c) => sqlValue(byCol.get(c)))
  }
  return { stmt, values, index: (col: string) => cols.indexOf(col) }
}

async function scratchDb(file: string): Promise<Database.Database> {
  const orm = await createPanelOrm({ db: { kind: 'sqlite', path: file } }, MODULE_ENTITIES)
  await orm.close()
  const db = new Database(file)
  db.pragma('journal_mode = WAL')
  return db
}

export interface BareInserts {
  buffer: { seconds: number; rows: number }
  panel: { seconds: number; customers: number }
  /** recipients for the bare mail run: the panel customers' e-mails, in order */
  emails: string[]
  /** the verifier's retained heap growth (after GC) while reading the file */
  retainedHeapMB: number
}

export async function bareInserts(file: string, workDir: string, panelCount: number): Promise<BareInserts> {
  const bufferDb = await scratchDb(path.join(workDir, 'bare-buffer.sqlite'))
  const panelDb = await scratchDb(path.join(workDir, 'bare-panel.sqlite'))
  try {
    const buf = inserter(bufferDb, 'xcm_buffer_customer')
    const cust = inserter(panelDb, 'panel_customer')
    const shop = inserter(panelDb, 'panel_customer_shop')
    const addr = inserter(panelDb, 'panel_delivery_address')
    const now = new Date()
    let bufferMs = 0
    let panelMs = 0
    const timed = (f: () => void) => {
      const t = performance.now()
      f()
      return performance.now() - t
    }
    bufferMs += timed(() => bufferDb.exec('begin'))
    panelMs += timed(() => panelDb.exec('begin'))

    let bufferRows: unknown[][] = []
    // the child rows carry a placeholder customer_id, set once the customer's id is known
    let panelRows: Array<{ customer: unknown[]; shop: unknown[]; addresses: unknown[][] }> = []
    const shopRef = shop.index('customer_id')
    const addrRef = addr.index('customer_id')
    const flushBuffer = () => {
      const rows = bufferRows
      bufferRows = []
      bufferMs += timed(() => {
        for (const r of rows) buf.stmt.run(r)
      })
    }
    const flushPanel = () => {
      const rows = panelRows
      panelRows = []
      panelMs += timed(() => {
        for (const r of rows) {
          const id = cust.stmt.run(r.customer).lastInsertRowid
          r.shop[shopRef] = id
          shop.stmt.run(r.shop)
          for (const a of r.addresses) {
            a[addrRef] = id
            addr.stmt.run(a)
          }
        }
      })
    }

    const emails: string[] = []
    const emailsSeen = new Set<string>()
    const loginsUsed = new Set<string>()
    const gc = (globalThis as { gc?: () => void }).gc
    gc?.()
    const baseHeap = process.memoryUsage().heapUsed
    let retained = 0
    let n = 0
    const r = await verifyCustomerXml(file, {
      onCustomer: (c) => {
        bufferRows.push(buf.values(newBufferRow(1, n, c, now)))
        if (bufferRows.length >= BUFFER_BATCH) flushBuffer()
        const lower = c.email.trim().toLowerCase()
        if (emails.length < panelCount && lower && !emailsSeen.has(lower)) {
          emailsSeen.add(lower)
          const base = deriveLoginBase(c.email)
          let login = base
          for (let k = 2; loginsUsed.has(login); k++) login = `${base}${k}`
          loginsUsed.add(login)
          const p = prepareForPanel(c, { shopIds: ['1'], login, externalRef: `cm:1:${c.sourceId}` })
          const { shopIds: _s, deliveryAddresses, ...columns } = p
          panelRows.push({
            customer: cust.values({ ...columns, emailLower: lower, passwordHash: null, createdAt: now }),
            shop: shop.values({ customerId: 0, shopId: '1' }),
            addresses: deliveryAddresses.map((a) => addr.values({ customerId: 0, ...a })),
          })
          emails.push(p.email)
          if (panelRows.length >= PANEL_BATCH) flushPanel()
        }
        if (++n % 5_000 === 0 && gc) {
          gc()
          retained = Math.max(retained, process.memoryUsage().heapUsed - baseHeap)
        }
      },
    })
    if (!r.ok) throw new Error(`the product's verifier refused the file: ${JSON.stringify(r.errors.slice(0, 3))}`)
    flushBuffer()
    flushPanel()
    bufferMs += timed(() => bufferDb.exec('commit'))
    panelMs += timed(() => panelDb.exec('commit'))
    return {
      buffer: { seconds: bufferMs / 1000, rows: n },
      panel: { seconds: panelMs / 1000, customers: emails.length },
      emails,
      retainedHeapMB: Math.round((retained / MB) * 10) / 10,
    }
  } finally {
    bufferDb.close()
    panelDb.close()
  }
}
