/**
 * Steps 6–9 through the module's HTTP API on in-memory SQLite and real bree workers:
 * an uploaded file is verified, buffered, imported with per-customer errors, and notified.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { BufferedCustomer, ImportDetails, ListEnvelope, ImportedCustomer } from '@cm/contracts'
import { startTestModule } from '../testing/test-module.ts'
import { address, customer, xmlDocument } from '../pipeline/xml/xml.fixtures.ts'

type T = Awaited<ReturnType<typeof startTestModule>>
let t: T

const FILE = xmlDocument([
  customer('1', { email: 'anna.nowak@example.pl', firstName: 'Anna', lastName: 'Nowak', addresses: [address({ firstName: 'Anna', lastName: 'Nowak' })] }),
  customer('2', { email: 'zofia@example.pl', firstName: 'Zofia', lastName: 'Żak', addresses: [address({ postcode: '3134' })] }),
  customer('3', { email: 'Anna.Nowak@example.pl', firstName: 'Anna', lastName: 'Nowak-Druga', addresses: [address()] }),
  customer('4', { email: 'zajety@example.pl', firstName: 'Piotr', lastName: 'Zajęty', addresses: [address()] }),
  customer('5', { email: 'bez_nazwiska@example.pl', firstName: '', lastName: '', addresses: [address({ firstName: 'Łucja', lastName: 'Wiśniewska' })] }),
])

async function upload(user: string, xml: string, shopIds = '1,2') {
  const form = new FormData()
  form.set('file', new Blob([xml], { type: 'application/xml' }), 'klienci.xml')
  form.set('shopIds', shopIds)
  return t.module.app.request('/imports/upload', { method: 'POST', body: form, headers: { 'x-test-user': user } })
}

const details = (id: string) => t.json<ImportDetails>('operator', `/imports/${id}`).then((r) => r.body)

beforeAll(async () => {
  t = await startTestModule()
  t.panel.customers.push({ id: '1', login: 'zajety', email: 'ZAJETY@example.pl', externalRef: '' } as T['panel']['customers'][number])
})
afterAll(async () => t.close())

describe('an uploaded file, step by step', () => {
  let id = ''
  it('upload answers 201 with awaiting_verification; verify moves it to buffered with every customer', async () => {
    const res = await upload('operator', FILE)
    expect(res.status).toBe(201)
    const created = (await res.json()) as ImportDetails
    expect(created.status).toBe('awaiting_verification')
    id = created.id
    const v = await t.json('operator', `/imports/${id}/verify`, { method: 'POST' })
    expect(v.status).toBe(202)
    const done = await t.waitFor(() => details(id), (d) => d.status !== 'verifying')
    expect(done.status).toBe('buffered')
    expect(done.verification).toMatchObject({ ok: true, errors: [], customers: 5 })
    expect(done.platform).toBe('shoper')
    expect(done.counts).toMatchObject({ pending: 5, failed: 0, imported: 0 })
  })

  it('importing them all reports each customer: successes, a bad postcode, a duplicate e-mail, a taken e-mail', async () => {
    const list = await t.json<ListEnvelope<BufferedCustomer>>('operator', `/imports/${id}/buffer?limit=2`)
    expect(list.body.total).toBe(5)
    // the search box: an underscore in an e-mail is found (SQLite and PostgreSQL alike)
    const found = await t.json<ListEnvelope<BufferedCustomer>>('operator', `/imports/${id}/buffer?q=bez_nazwiska`)
    expect(found.body.items.map((r) => r.sourceId)).toEqual(['5'])
    expect(list.body.items).toHaveLength(2)
    const rest = await t.json<ListEnvelope<BufferedCustomer>>('operator', `/imports/${id}/buffer?limit=10&cursor=${list.body.nextCursor}`)
    const ids = [...list.body.items, ...rest.body.items].map((r) => r.id)
    expect(new Set(ids).size).toBe(5)
    const r = await t.json<{ results: Array<{ id: string; state: string; errors: Array<{ code: string }> }> }>('operator', `/imports/${id}/buffer/import`, {
      method: 'POST',
      body: JSON.stringify({ ids }),
    })
    expect(r.status).toBe(200)
    const bySource = new Map<string, { state: string; codes: string[] }>()
    const all = [...list.body.items, ...rest.body.items]
    for (const res of r.body.results) {
      const src = all.find((x) => x.id === res.id)!.sourceId
      bySource.set(src, { state: res.state, codes: res.errors.map((e) => e.code) })
    }
    expect(bySource.get('1')).toEqual({ state: 'imported', codes: [] })
    expect(bySource.get('2')).toEqual({ state: 'failed', codes: ['POSTCODE_INVALID'] })
    expect(bySource.get('3')).toEqual({ state: 'failed', codes: ['EMAIL_DUPLICATE_IN_FILE'] })
    expect(bySource.get('4')).toEqual({ state: 'failed', codes: ['EMAIL_TAKEN'] })
    // names missing on the customer come from the billing address
    expect(bySource.get('5')).toEqual({ state: 'imported', codes: [] })
    const imported = t.panel.customers.filter((c) => c.externalRef?.startsWith(`cm:${id}:`))
    expect(imported.map((c) => [c.login, c.firstName, c.shopIds])).toEqual([
      ['annanowak', 'Anna', ['1', '2']],
      ['beznazwiska', 'Łucja', ['1', '2']],
    ])
  })

  it('a second click on the same customers creates nobody twice', async () => {
    const before = t.panel.customers.length
    const list = await t.json<ListEnvelope<BufferedCustomer>>('operator', `/imports/${id}/buffer?state=pending,failed,imported&limit=50`)
    const ids = list.body.items.map((r) => r.id)
    const [a, b] = await Promise.all([
      t.json('operator', `/imports/${id}/buffer/import`, { method: 'POST', body: JSON.stringify({ ids }) }),
      t.json('operator', `/imports/${id}/buffer/import`, { method: 'POST', body: JSON.stringify({ ids }) }),
    ])
    expect([a.status, b.status]).toEqual([200, 200])
    expect(t.panel.customers.length).toBe(before)
  })

  it('the dialog fixes the postcode; the customer then imports; Pomiń skips the duplicate', async () => {
    const failed = await t.json<ListEnvelope<BufferedCustomer>>('operator', `/imports/${id}/buffer?state=failed&errorCode=POSTCODE_INVALID`)
    expect(failed.body.items.map((r) => r.sourceId)).toEqual(['2'])
    const fixId = failed.body.items[0]!.id
    const patched = await t.json<BufferedCustomer>('operator', `/imports/${id}/buffer/${fixId}`, {
      method: 'PATCH',
      body: JSON.stringify({ billingAddress: { postcode: '31-134' } }),
    })
    expect(patched.status).toBe(200)
    expect(patched.body).toMatchObject({ state: 'pending', edited: true, errors: [] })
    const imp = await t.json<{ results: Array<{ state: string }> }>('operator', `/imports/${id}/buffer/import`, { method: 'POST', body: JSON.stringify({ ids: [fixId] }) })
    expect(imp.body.results).toMatchObject([{ state: 'imported' }])
    const dup = await t.json<ListEnvelope<BufferedCustomer>>('operator', `/imports/${id}/buffer?errorCode=EMAIL_DUPLICATE_IN_FILE,EMAIL_TAKEN`)
    const skip = await t.json<{ skipped: number }>('operator', `/imports/${id}/buffer/skip`, { method: 'POST', body: JSON.stringify({ ids: dup.body.items.map((r) => r.id) }) })
    expect(skip.body.skipped).toBe(2)
    const d = await details(id)
    expect(d.counts).toMatchObject({ pending: 0, failed: 0, skipped: 2, imported: 3 })
    expect(d.status).toBe('completed')
    // Przywróć brings one back (the import is open again), Pomiń closes it once more
    const one = dup.body.items[0]!.id
    expect((await t.json<{ restored: number }>('operator', `/imports/${id}/buffer/restore`, { method: 'POST', body: JSON.stringify({ ids: [one] }) })).body.restored).toBe(1)
    expect((await details(id)).status).toBe('buffered')
    await t.json('operator', `/imports/${id}/buffer/skip`, { method: 'POST', body: JSON.stringify({ ids: [one] }) })
    expect((await details(id)).status).toBe('completed')
  })

  it('notify sends the template once per customer, with a one-time link that expires', async () => {
    const r = await t.json<{ sent: number; queued: number }>('operator', `/imports/${id}/imported/notify`, { method: 'POST', body: JSON.stringify({ all: true }) })
    expect(r.status).toBe(202)
    expect(r.body.queued).toBe(3)
    const list = await t.waitFor(
      () => t.json<ListEnvelope<ImportedCustomer>>('operator', `/imports/${id}/imported`).then((x) => x.body),
      (l) => l.items.every((i) => i.notified),
    )
    expect(list.items.map((i) => i.notifiedAt)).not.toContain(null)
    expect(t.panel.mails.map((m) => m.to).sort()).toEqual(['anna.nowak@example.pl', 'bez_nazwiska@example.pl', 'zofia@example.pl'])
    const mail = t.panel.mails.find((m) => m.to === 'bez_nazwiska@example.pl')!
    expect(mail.text).toContain('Łucja')
    expect(mail.subject).toContain('Sklep główny')
    const again = await t.json<{ sent: number }>('operator', `/imports/${id}/imported/notify`, { method: 'POST', body: JSON.stringify({ ids: list.items.map((i) => i.id) }) })
    expect(again.body.sent).toBe(0)
    expect(t.panel.mails).toHaveLength(3)
    const preview = await t.json<{ to: string; subject: string; text: string }>('operator', `/imports/${id}/imported/${list.items[0]!.id}/preview`)
    expect(preview.body.subject).toContain('Sklep główny')
    expect(preview.body.text).toContain('PRZYKLADOWY-TOKEN')
    expect(t.panel.mails).toHaveLength(3)
    const token = new URL(mail.text.match(/http\S+/)![0]).searchParams.get('token')!
    expect(await t.module.redeemPasswordToken(token, 'nowe-haslo-123')).toMatchObject({ ok: true })
    expect(await t.module.redeemPasswordToken(token, 'drugie')).toEqual({ ok: false, reason: 'used' })
  })
})

describe('a file that is not valid', () => {
  it('is rejected with line and column, and leaves no buffer behind', async () => {
    const bad = FILE.replace('<email>zofia@example.pl</email>', '<email>zofia@example.pl</email><shoeSize>42</shoeSize>')
    const created = (await (await upload('operator', bad)).json()) as ImportDetails
    await t.json('operator', `/imports/${created.id}/verify`, { method: 'POST' })
    const d = await t.waitFor(() => details(created.id), (x) => x.status !== 'verifying')
    expect(d.status).toBe('verification_failed')
    expect(d.verification?.errors[0]).toMatchObject({ code: 'XML_UNKNOWN_ELEMENT', line: expect.any(Number), column: expect.any(Number) })
    const buf = await t.json<ListEnvelope<BufferedCustomer>>('operator', `/imports/${created.id}/buffer`)
    expect(buf.body).toEqual({ items: [], nextCursor: null, total: 0 })
    const rows = await t.orm.em.fork().getConnection().execute(`select count(*) as n from xcm_buffer_customer where import_id = ${created.id}`)
    expect(Number(rows[0]!.n)).toBe(0)
  })
})
