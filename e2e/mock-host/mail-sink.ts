/**
 * The panel's local SMTP server: accepts every mail on loopback, parses it and keeps it in an
 * outbox (memory + `outbox.jsonl`, reloaded at start so QA sees mails across restarts).
 * A mail is acknowledged only after it is stored, so "sent" means "in the outbox".
 */
import { randomUUID } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import type { AddressInfo } from 'node:net'
import { simpleParser } from 'mailparser'
import { SMTPServer } from 'smtp-server'

export interface OutboxMail {
  id: string
  receivedAt: string
  from: string
  to: string[]
  subject: string
  text: string
  html: string | null
  messageId: string | null
  shopId: string | null
  templateId: string | null
}

export interface MailSink {
  /** resolves with the port actually bound (0 in tests picks a free one) */
  start(): Promise<{ port: number }>
  close(): Promise<void>
  /** oldest first */
  list(): OutboxMail[]
}

const MAX_MAIL_BYTES = 10 * 1024 * 1024

function loadOutbox(file: string): OutboxMail[] {
  if (!fs.existsSync(file)) return []
  const mails: OutboxMail[] = []
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue
    try {
      mails.push(JSON.parse(line) as OutboxMail)
    } catch {
      // a line torn by a crash mid-write; the rest is still good
    }
  }
  return mails
}

function header(value: unknown): string | null {
  return typeof value === 'string' && value ? value : null
}

export function createMailSink(opts: {
  host?: string
  port: number
  dataDir: string
  onError?: (err: Error) => void
}): MailSink {
  const file = path.join(opts.dataDir, 'outbox.jsonl')
  const outbox: OutboxMail[] = []
  let listening = false
  let listenFailed: ((err: Error) => void) | null = null

  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    size: MAX_MAIL_BYTES,
    logger: false,
    onData(stream, session, callback) {
      simpleParser(stream)
        .then(async (parsed) => {
          if (stream.sizeExceeded) throw Object.assign(new Error('Message too large'), { responseCode: 552 })
          const mail: OutboxMail = {
            id: randomUUID(),
            receivedAt: new Date().toISOString(),
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            subject: parsed.subject ?? '',
            text: parsed.text ?? '',
            html: typeof parsed.html === 'string' ? parsed.html : null,
            messageId: parsed.messageId ?? null,
            shopId: header(parsed.headers.get('x-panel-shop')),
            templateId: header(parsed.headers.get('x-panel-template')),
          }
          await fs.promises.appendFile(file, JSON.stringify(mail) + '\n', 'utf8')
          outbox.push(mail)
          callback()
        })
        .catch((err: Error) => callback(err))
    },
  })
  // a client dropping its connection must not crash the host (an unhandled 'error' event would)
  server.on('error', (err: Error) => {
    if (listenFailed) listenFailed(err)
    else opts.onError?.(err)
  })

  return {
    async start() {
      fs.mkdirSync(opts.dataDir, { recursive: true })
      outbox.splice(0, outbox.length, ...loadOutbox(file))
      await new Promise<void>((resolve, reject) => {
        listenFailed = (err) => {
          listenFailed = null
          reject(new Error(`SMTP sink cannot listen on ${opts.host ?? '127.0.0.1'}:${opts.port}: ${err.message}`))
        }
        server.listen(opts.port, opts.host ?? '127.0.0.1', () => {
          listenFailed = null
          listening = true
          resolve()
        })
      })
      return { port: (server.server.address() as AddressInfo).port }
    },
    close() {
      if (!listening) return Promise.resolve()
      listening = false
      return new Promise<void>((resolve) => server.close(() => resolve()))
    },
    list() {
      return [...outbox]
    },
  }
}
