/**
 * Loading a verified file's customers into the buffer: one multi-row INSERT per batch, in the
 * caller's transaction. MikroORM's insertMany spends ~140 µs
 * a row validating and converting; the rows here are built by newBufferRow, so only the column
 * names and the two conversions the drivers need (JSON text, SQLite's epoch-ms dates) remain.
 */
import type { EntityManager } from '@mikro-orm/core'
import type { EntityManager as SqlEntityManager } from '@mikro-orm/knex'
import { BufferCustomerEntity } from '../../db/buffer-customer.entity.ts'
import type { newBufferRow } from './buffer.rows.ts'

type NewRow = ReturnType<typeof newBufferRow>

interface Column {
  prop: keyof NewRow
  field: string
  json: boolean
  date: boolean
}

let columns: Column[] | null = null

function columnsOf(em: EntityManager): Column[] {
  if (columns) return columns
  const meta = em.getMetadata().get(BufferCustomerEntity.meta.className)
  columns = meta.props
    .filter((p) => !p.primary && p.fieldNames?.length === 1)
    .map((p) => ({ prop: p.name as keyof NewRow, field: p.fieldNames[0]!, json: p.runtimeType === 'object' || p.type === 'json', date: p.runtimeType === 'Date' }))
  return columns
}

// 19 columns a row: 1,000 rows stay under SQLite's 32,766 bound parameters (PostgreSQL: 65,535)
const ROWS_PER_STATEMENT = 1_000

export async function insertBufferRows(em: EntityManager, rows: NewRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) await insertChunk(em, rows.slice(i, i + ROWS_PER_STATEMENT))
}

async function insertChunk(anyEm: EntityManager, rows: NewRow[]): Promise<void> {
  if (rows.length === 0) return
  const em = anyEm as SqlEntityManager
  const cols = columnsOf(em)
  const postgres = em.getPlatform().constructor.name.toLowerCase().includes('postgre')
  const schema = postgres ? (em.config.get('schema') as string | undefined) : undefined
  const params: unknown[] = []
  for (const r of rows) {
    for (const c of cols) {
      const v = r[c.prop] as unknown
      params.push(v == null ? null : c.json ? JSON.stringify(v) : c.date && !postgres ? (v as Date).getTime() : v)
    }
  }
  const quote = (name: string) => em.getPlatform().quoteIdentifier(name)
  const table = (schema ? `${quote(schema)}.` : '') + quote(em.getMetadata().get(BufferCustomerEntity.meta.className).tableName)
  const one = `(${cols.map(() => '?').join(', ')})`
  // a plain multi-row VALUES list (knex's SQLite insert writes UNION ALL selects, capped at 500 terms)
  const sql = `insert into ${table} (${cols.map((c) => quote(c.field)).join(', ')}) values ${rows.map(() => one).join(', ')}`
  await em.getConnection().execute(sql, params, 'run', em.getTransactionContext())
}
