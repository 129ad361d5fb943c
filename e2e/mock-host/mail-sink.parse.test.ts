import nodemailer from 'nodemailer'
import { describe, expect, it } from 'vitest'
import { parseAnyMail, parseMail, parseSimpleMail } from './mail-sink.parse.ts'

const composer = nodemailer.createTransport({ streamTransport: true, buffer: true })
async function message(m: { subject: string; text: string; html?: string }): Promise<Buffer> {
  const info = await composer.sendMail({ from: 'sklep-1@panel.local', to: 'a@example.pl', headers: { 'X-Panel-Shop': '1', 'X-Panel-Template': 'customer-imported' }, ...m })
  return info.message as Buffer
}

const LINK = 'http://127.0.0.1:3000/konto/ustaw-haslo?shop=1&token=Xk2p9GkVqYtB0pR4n8wA6sJmZc1eLhD3uF7iO5yTqWg'
const CASES: Array<{ subject: string; text: string }> = [
  { subject: 'plain', text: 'ascii only\nline' },
  { subject: 'ends with newlines', text: 'ascii\n\n' },
  { subject: '', text: '' },
  { subject: 'Twoje konto w sklepie „Sklep główny” czeka — zażółć gęślą jaźń, a temat jest na tyle długi, że zawija się w kilku liniach', text: `Dzień dobry Łucjo,\nustaw hasło: ${LINK}\n\nPozdrawiamy,\nZespół` },
  { subject: 'mostly non-latin: ąęśćżźółń', text: 'ąęśćżźółń'.repeat(40) },
  { subject: 'emoji 🎉 and CJK 漢字', text: 'emoji 🎉 🎉\n漢字\ttab  \ntrailing spaces   \n.leading dot\nFrom the start\n=3D not encoded' },
  { subject: 'a very long ASCII line', text: 'x'.repeat(1_000) + '\n' + 'word '.repeat(300) },
  { subject: '=?not-a-word?= and =?UTF-8?Q?literal?=', text: 'body with =?UTF-8?Q?x?= inside' },
  { subject: 'windows lines', text: 'one\r\ntwo\r\n\r\nthree' },
]

describe('the outbox reads simple mails by hand, as mailparser would', () => {
  it.each(CASES)('$subject', async (c) => {
    const raw = await message(c)
    const fast = parseSimpleMail(raw)
    expect(fast, 'a text/plain UTF-8 mail is read by hand').not.toBeNull()
    expect(fast).toEqual(await parseAnyMail(raw))
  })

  // written by hand: what another client might send within the same kind
  const b64 = (b: Buffer) => b.toString('base64')
  const zolw = Buffer.from('żółw', 'utf8')
  const RAW = [
    `Subject: =?utf-8?B?${b64(zolw.subarray(0, 3))}?=\r\n =?utf-8?B?${b64(zolw.subarray(3))}?= i =?UTF-8?q?=C5=BC=C3=B3=C5=82w?=\r\nMessage-ID:\r\n\t<folded@panel.local>\r\nX-Panel-Shop: 2\r\nContent-Type: text/plain; charset="UTF-8"\r\nContent-Transfer-Encoding: Quoted-Printable\r\n\r\nspacje na ko=C5=84cu   \r\nmi=\r\nkkie z=C5=82=\r\n=C4=85czenie\r\n=3D\r\n`,
    'Subject: no body type\r\n\r\nline one\nline two\r\n',
    'Subject: only headers\r\n',
  ]
  it.each(RAW.map((raw, i) => ({ i, raw })))('hand-written message $i', async ({ raw }) => {
    const buf = Buffer.from(raw, 'utf8')
    expect(parseSimpleMail(buf)).not.toBeNull()
    expect(parseSimpleMail(buf)).toEqual(await parseAnyMail(buf))
  })

  it('leaves other messages to mailparser', async () => {
    const raw = await message({ subject: 'HTML', text: 'tekst', html: '<p>tekst</p>' })
    expect(parseSimpleMail(raw)).toBeNull()
    expect(await parseMail(raw)).toMatchObject({ subject: 'HTML', text: 'tekst', html: '<p>tekst</p>', shopId: '1' })
    const latin2 = Buffer.from('Subject: =?ISO-8859-2?Q?=B3=F3d=BC?=\r\nContent-Type: text/plain; charset=iso-8859-2\r\n\r\nx\r\n', 'latin1')
    expect(parseSimpleMail(latin2)).toBeNull()
    expect((await parseMail(latin2)).subject).toBe('łódź')
  })
})
