import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { SEND_WINDOW } from '../../backend/src/pipeline/notify/notify.stage.ts'
import { createMailSink, type MailSink } from './mail-sink.ts'
import { createMailPort, MAIL_CONNECTIONS, type PanelMail } from './ports/mail.port.ts'
import { outboxRoutes } from './routes/outbox.routes.ts'

describe('mail sink + mail port', () => {
  let dir: string
  let sink: MailSink
  let mail: PanelMail

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'panel-mail-'))
    sink = createMailSink({ port: 0, dataDir: dir })
    const { port } = await sink.start()
    mail = createMailPort({ host: '127.0.0.1', port })
  })
  afterEach(async () => {
    mail.close()
    await sink.close()
    fs.rmSync(dir, { recursive: true, force: true })
  })

  const send = (to: string, subject = `do ${to}`) => mail.send({ shopId: '1', templateId: 'customer-imported', to, subject, text: `treść dla ${to}` })

  it('receives a UTF-8 mail sent through the mail port and keeps it across restarts', async () => {
    const sent = await mail.send({
      shopId: '1',
      templateId: 'customer-imported',
      to: 'Łucja.Żak@example.pl',
      subject: 'Twoje konto w sklepie „Sklep główny” czeka — zażółć gęślą jaźń',
      text: 'Dzień dobry Łucjo,\nustaw hasło: http://127.0.0.1:3000/konto/ustaw-haslo?shop=1&token=abc',
    })
    expect(sent.messageId).toBeTruthy()

    // the port resolved only after the sink stored the mail
    const [m] = sink.list()
    expect(m).toMatchObject({
      from: 'sklep-1@panel.local',
      to: ['Łucja.Żak@example.pl'],
      subject: 'Twoje konto w sklepie „Sklep główny” czeka — zażółć gęślą jaźń',
      shopId: '1',
      templateId: 'customer-imported',
      messageId: sent.messageId,
      html: null,
    })
    expect(m?.text.trim()).toBe('Dzień dobry Łucjo,\nustaw hasło: http://127.0.0.1:3000/konto/ustaw-haslo?shop=1&token=abc')

    const reopened = createMailSink({ port: 0, dataDir: dir })
    await reopened.start()
    expect(reopened.list().map((x) => x.subject)).toEqual([m?.subject])
    await reopened.close()
  })

  it('sends many mails at once over the pooled connections, each stored once, in the order acknowledged', async () => {
    const to = Array.from({ length: 60 }, (_, i) => `klient${i}@example.pl`)
    await Promise.all(to.map((t) => send(t)))
    const stored = sink.list()
    expect(stored.map((m) => m.to[0]).sort()).toEqual([...to].sort())
    expect(sink.count()).toBe(60)
    const lines = fs.readFileSync(path.join(dir, 'outbox.jsonl'), 'utf8').trimEnd().split('\n')
    expect(lines.map((l) => (JSON.parse(l) as { id: string }).id)).toEqual(stored.map((m) => m.id))
    // every mail of the module's window goes on the wire at once
    expect(MAIL_CONNECTIONS).toBeGreaterThanOrEqual(SEND_WINDOW)
  })

  it('answers by recipient (any case) and by page from the file, not from memory', async () => {
    for (const t of ['a@example.pl', 'B@example.pl', 'a@example.pl', 'c@example.pl']) await send(t, `do ${t} #${sink.count()}`)
    expect(sink.page({ to: 'A@EXAMPLE.PL', limit: 10 })).toMatchObject({ total: 2, next: null, items: [{ subject: 'do a@example.pl #0' }, { subject: 'do a@example.pl #2' }] })
    expect(sink.page({ to: 'b@example.pl', limit: 10 }).items.map((m) => m.to)).toEqual([['B@example.pl']])
    expect(sink.page({ to: 'nikt@example.pl', limit: 10 })).toEqual({ items: [], next: null, total: 0 })
    const first = sink.page({ limit: 3 })
    expect(first).toMatchObject({ next: 3, total: 4 })
    expect(sink.page({ from: first.next!, limit: 3 }).items.map((m) => m.subject)).toEqual(['do c@example.pl #3'])
    expect(sink.page({ to: 'a@example.pl', limit: 1 })).toMatchObject({ total: 2, next: 2, items: [{ subject: 'do a@example.pl #0' }] })

    const app = outboxRoutes(sink)
    const api = (await (await app.request('/api/outbox?to=a@example.pl')).json()) as { items: unknown[]; total: number; nextCursor: string | null }
    expect(api).toMatchObject({ total: 2, nextCursor: null })
    const paged = (await (await app.request('/api/outbox?limit=3')).json()) as { items: unknown[]; total: number; nextCursor: string | null }
    expect(paged).toMatchObject({ total: 4, nextCursor: '3' })
    expect(paged.items).toHaveLength(3)
    const rest = (await (await app.request('/api/outbox?limit=3&cursor=3')).json()) as { items: unknown[]; nextCursor: string | null }
    expect(rest).toMatchObject({ nextCursor: null, items: [{ subject: 'do c@example.pl #3' }] })
    const page = await (await app.request('/outbox')).text()
    expect(page).toContain('Wysłane maile (4)')
    expect(page.indexOf('#3')).toBeLessThan(page.indexOf('#0'))
  })

  it('survives a line torn by a crash: the torn mail is dropped, the next one starts on its own line', async () => {
    await send('przed@example.pl')
    await mail.close()
    await sink.close()
    fs.appendFileSync(path.join(dir, 'outbox.jsonl'), '{"id":"torn","to":["po')
    sink = createMailSink({ port: 0, dataDir: dir })
    mail = createMailPort({ host: '127.0.0.1', port: (await sink.start()).port })
    expect(sink.count()).toBe(1)
    await send('po@example.pl')
    expect(sink.list().map((m) => m.to[0])).toEqual(['przed@example.pl', 'po@example.pl'])
  })

  it('closes at once although the pool keeps its connections open', async () => {
    await Promise.all(Array.from({ length: MAIL_CONNECTIONS }, (_, i) => send(`k${i}@example.pl`)))
    const t0 = performance.now()
    await sink.close()
    expect(performance.now() - t0).toBeLessThan(2_000)
    // the next mail fails (nobody listens) rather than hanging or being queued for later
    await expect(send('za-pozno@example.pl')).rejects.toThrow()
  })
})
