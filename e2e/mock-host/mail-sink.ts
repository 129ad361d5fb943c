/**
 * The panel's local SMTP server: accepts every mail on loopback, reads it and keeps it in an
 * outbox (`outbox.jsonl`, indexed at start so QA sees mails across restarts; only a small index
 * stays in memory, so a million mails do not grow the host). A mail is acknowledged only after
 * it is in the file, so "sent" means "in the outbox".
 */
import { randomUUID } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import type { AddressInfo } from 'node:net'
import { SMTPServer } from 'smtp-server'
import { OutboxFile, type OutboxMail, type OutboxPage } from './mail-sink.outbox.ts'
import { parseMail } from './mail-sink.parse.ts'

export type { OutboxMail, OutboxPage }

export interface MailSink {
  /** resolves with the port actually bound (0 in tests picks a free one) */
  start(): Promise<{ port: number }>
  close(): Promise<void>
  /** every mail, oldest first, read from the file: for tests with a handful of mails */
  list(): OutboxMail[]
  count(): number
  /** oldest first, from position `from` (a page's `next`); `to` matches a recipient regardless of case */
  page(q: { to?: string; from?: number; limit: number }): OutboxPage
}

const MAX_MAIL_BYTES = 10 * 1024 * 1024

export function createMailSink(opts: {
  host?: string
  port: number
  dataDir: string
  onError?: (err: Error) => void
}): MailSink {
  const outbox = new OutboxFile(path.join(opts.dataDir, 'outbox.jsonl'))
  let listening = false
  /** mails between their DATA and their acknowledgement; a close lets them finish */
  let receiving = 0
  let settled: (() => void) | null = null
  let listenFailed: ((err: Error) => void) | null = null

  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    size: MAX_MAIL_BYTES,
    logger: false,
    onData(stream, session, reply) {
      receiving++
      let answered = false
      const callback = (err?: Error | null) => {
        if (answered) return
        answered = true
        reply(err ?? null)
        if (--receiving === 0) settled?.()
      }
      const chunks: Buffer[] = []
      // past the size limit the rest is only drained, not kept: the mail is refused at its end
      stream.on('data', (c: Buffer) => {
        if (!stream.sizeExceeded) chunks.push(c)
      })
      stream.on('error', (err: Error) => callback(err))
      stream.on('end', () => {
        if (stream.sizeExceeded) return callback(Object.assign(new Error('Message too large'), { responseCode: 552 }))
        parseMail(Buffer.concat(chunks))
          .then((parsed) =>
            outbox.append({
              id: randomUUID(),
              receivedAt: new Date().toISOString(),
              from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              to: session.envelope.rcptTo.map((r) => r.address),
              ...parsed,
            }),
          )
          .then(() => callback())
          .catch((err: Error) => callback(err))
      })
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
      outbox.open()
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
    async close() {
      if (listening) {
        listening = false
        const closed = new Promise<void>((resolve) => server.close(() => resolve()))
        if (receiving > 0) await new Promise<void>((resolve) => (settled = resolve))
        // a pooled client keeps its connections open between mails; smtp-server would wait for
        // them for 30 s, but with no mail left in progress they can be told to go at once
        for (const connection of (server as unknown as { connections: Set<{ send(code: number, msg: string): void; close(): void }> }).connections) {
          connection.send(421, 'Server shutting down')
          connection.close()
        }
        await closed
      }
      await outbox.close()
    },
    list() {
      return outbox.page({ limit: Infinity }).items
    },
    count() {
      return outbox.count
    },
    page(q) {
      return outbox.page(q)
    },
  }
}
