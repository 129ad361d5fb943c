/**
 * The notify stage's bare limit: a plain nodemailer pool with as many connections as the host's
 * mail port keeps (MAIL_CONNECTIONS, which is also the module's SEND_WINDOW: as many sends in
 * flight as the module allows itself) sending as many mails as the module sent, to the same SMTP
 * sink (the host's), each with the subject, text and headers of a mail the module really sent,
 * to the panel customers' addresses. It runs in the bench's process while the host's own sending
 * shares the host's thread with the module and the sink; what stays between the two is the
 * module's work per mail (claim, links, rendering, bookkeeping) and that shared thread.
 * `pool: false` sends a new SMTP connection per mail (as the host's port did before it pooled),
 * to show what pooling is worth.
 */
import { performance } from 'node:perf_hooks'
import nodemailer from 'nodemailer'
import { MAIL_CONNECTIONS } from '../../e2e/mock-host/ports/mail.port.ts'

export const SEND_CONCURRENCY = MAIL_CONNECTIONS
/** the bare pool's rate settles within seconds; more mails than this only make the run longer */
export const BARE_MAIL_SAMPLE = 50_000

export interface SampleMail {
  from: string
  subject: string
  text: string
  headers: Record<string, string>
}

export async function bareMailPool(smtpPort: number, sample: SampleMail, recipients: string[], count: number, pool = true): Promise<{ seconds: number; sent: number }> {
  const transport = nodemailer.createTransport({
    ...(pool ? { pool: true, maxConnections: SEND_CONCURRENCY, maxMessages: Infinity } : {}),
    host: '127.0.0.1',
    port: smtpPort,
    secure: false,
    ignoreTLS: true,
  })
  let next = 0
  let sent = 0
  const t0 = performance.now()
  try {
    const worker = async () => {
      for (let i = next++; i < count; i = next++) {
        const to = recipients.length ? recipients[i % recipients.length]! : `klient${i}@example.com`
        const info = await transport.sendMail({ from: sample.from, to, subject: sample.subject, text: sample.text, headers: sample.headers })
        if (info.accepted.length > 0) sent++
      }
    }
    await Promise.all(Array.from({ length: SEND_CONCURRENCY }, worker))
    return { seconds: (performance.now() - t0) / 1000, sent }
  } finally {
    transport.close()
  }
}
