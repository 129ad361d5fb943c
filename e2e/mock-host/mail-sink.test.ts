import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createMailSink, type MailSink } from './mail-sink.ts'
import { createMailPort, type PanelMail } from './ports/mail.port.ts'

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
    })
    expect(m?.text.trim()).toBe('Dzień dobry Łucjo,\nustaw hasło: http://127.0.0.1:3000/konto/ustaw-haslo?shop=1&token=abc')

    const reopened = createMailSink({ port: 0, dataDir: dir })
    await reopened.start()
    expect(reopened.list().map((x) => x.subject)).toEqual([m?.subject])
    await reopened.close()
  })
})
