/**
 * All or nothing, through the module: a file whose first 1 599 customers are valid is streamed
 * into the buffer batch by batch while it is verified; when the file turns out bad at its end, the
 * import is verification_failed with the problem's line and column, and not one row is left.
 * A trigger counts the rows ever inserted, to show the rows were there and were taken away.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { BufferedCustomer, ImportDetails, ListEnvelope, XmlIssueCode } from '@cm/contracts'
import { startTestModule } from '../../testing/test-module.ts'
import { reliabilityCase } from '../../testing/reliability.ts'
import { address, customer, positionOf, xmlDocument } from '../xml/xml.fixtures.ts'
import { VERIFY_BATCH } from './verify.runner.ts'

type T = Awaited<ReturnType<typeof startTestModule>>
let t: T

const CUSTOMERS = 1_600
const VALID = xmlDocument(
  Array.from({ length: CUSTOMERS }, (_, i) =>
    customer(String(i + 1), { lastName: `Wiśniewska-${i + 1}`, addresses: [address()], consents: [{ channel: 'email', granted: true, date: null }] }),
  ),
)
const LAST = VALID.lastIndexOf(`<customer sourceId="${CUSTOMERS}"`)
const LAST_EMAIL = VALID.indexOf('<email>', LAST) + '<email>'.length + 5

const sql = async <R = Record<string, unknown>>(query: string) => (await t.orm.em.fork().getConnection().execute(query)) as R[]
const rowsOf = async (id: string) => Number((await sql<{ n: number }>(`select count(*) as n from xcm_buffer_customer where import_id = ${Number(id)}`))[0]!.n)
const everInserted = async (id: string) => Number((await sql<{ n: number }>(`select count(*) as n from probe_buffer_inserts where import_id = ${Number(id)}`))[0]!.n)
const details = (id: string) => t.json<ImportDetails>('operator', `/imports/${id}`).then((r) => r.body)

async function uploadAndVerify(content: string | Buffer): Promise<{ id: string; done: ImportDetails }> {
  const form = new FormData()
  form.set('file', new Blob([typeof content === 'string' ? content : new Uint8Array(content)], { type: 'application/xml' }), 'klienci.xml')
  form.set('shopIds', '1')
  const res = await t.module.app.request('/imports/upload', { method: 'POST', body: form, headers: { 'x-test-user': 'operator' } })
  expect(res.status).toBe(201)
  const { id } = (await res.json()) as ImportDetails
  const v = await t.json('operator', `/imports/${id}/verify`, { method: 'POST' })
  expect(v.status).toBe(202)
  const done = await t.waitFor(() => details(id), (d) => d.status !== 'verifying' && d.status !== 'awaiting_verification', 60_000)
  return { id, done }
}

beforeAll(async () => {
  t = await startTestModule()
  await sql('create table probe_buffer_inserts (import_id integer not null)')
  await sql('create trigger probe_buffer_insert after insert on xcm_buffer_customer begin insert into probe_buffer_inserts (import_id) values (new.import_id); end')
})
afterAll(async () => t.close())

describe('reliability: no partial buffer is left by a file that fails verification', () => {
  it('the same file intact is buffered whole (the control)', { timeout: 90_000 }, async () => {
    const { id, done } = await uploadAndVerify(VALID)
    expect(done.status).toBe('buffered')
    expect(done.verification).toMatchObject({ ok: true, errors: [], customers: CUSTOMERS })
    expect(await rowsOf(id)).toBe(CUSTOMERS)
  })

  type Case = { tried: string; content: string | Buffer; code: XmlIssueCode; line: number; column: number; loadedFirst: boolean }
  const truncated = VALID.slice(0, LAST_EMAIL)
  const doctype = VALID.replace(
    '<?xml version="1.0" encoding="UTF-8"?>\n',
    `<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE customers [\n <!ENTITY lol "lol">\n${Array.from({ length: 9 }, (_, i) => ` <!ENTITY lol${i + 1} "${`&lol${i || ''};`.repeat(10)}">`).join('\n')}\n]>\n`,
  ).replace('<firstName>Jan', '<firstName>&lol9;')
  const unknown = VALID.slice(0, LAST_EMAIL) + VALID.slice(LAST_EMAIL).replace('    <phone/>', '    <shoeSize>42</shoeSize>')
  const cases: Case[] = [
    {
      tried: `a file cut off inside its last customer, after ${CUSTOMERS - 1} valid ones`,
      content: truncated,
      code: 'XML_TRUNCATED',
      ...positionOf(truncated, truncated.length - 1),
      loadedFirst: true,
    },
    {
      tried: `an unknown element in the last customer, after ${CUSTOMERS - 1} valid ones`,
      content: unknown,
      code: 'XML_UNKNOWN_ELEMENT',
      ...positionOf(unknown, unknown.indexOf('<shoeSize>')),
      loadedFirst: true,
    },
    {
      tried: `a byte that is not UTF-8 in the last customer, after ${CUSTOMERS - 1} valid ones`,
      content: Buffer.concat([Buffer.from(VALID.slice(0, LAST_EMAIL)), Buffer.from([0xff]), Buffer.from(VALID.slice(LAST_EMAIL))]),
      code: 'XML_ENCODING',
      ...positionOf(VALID, LAST_EMAIL),
      loadedFirst: true,
    },
    {
      tried: 'billion laughs: a DOCTYPE with nested entities before valid customers',
      content: doctype,
      code: 'XML_DOCTYPE_FORBIDDEN',
      line: 2,
      column: 1,
      loadedFirst: false,
    },
  ]

  it.each(cases)('$tried → $code at $line:$column, zero rows', { timeout: 90_000 }, async ({ tried, content, code, line, column, loadedFirst }) => {
    const rc = reliabilityCase('xml', `through the module: ${tried}; nothing left in the buffer`)
    const { id, done } = await uploadAndVerify(content)
    rc.tried(1)
    if (done.status === 'verification_failed') rc.rejected(1)
    expect(done.status).toBe('verification_failed')
    expect(done.verification?.ok).toBe(false)
    expect(done.verification?.errors[0]).toMatchObject({ code, line, column })
    expect(await rowsOf(id)).toBe(0)
    const list = await t.json<ListEnvelope<BufferedCustomer>>('operator', `/imports/${id}/buffer`)
    expect(list.body).toEqual({ items: [], nextCursor: null, total: 0 })
    // valid customers before the problem did reach the buffer, in whole batches, and were removed
    // (how many depends on where the 256 KiB read chunks end, hence a range)
    const inserted = await everInserted(id)
    if (loadedFirst) {
      expect(inserted % VERIFY_BATCH).toBe(0)
      expect(inserted).toBeGreaterThanOrEqual(2 * VERIFY_BATCH)
      expect(inserted).toBeLessThanOrEqual(CUSTOMERS - 1)
    } else expect(inserted).toBe(0)
    expect(done.counts).toMatchObject({ pending: 0, failed: 0, imported: 0 })
  })
})
