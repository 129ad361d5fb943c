/**
 * The notify stage's bare limit: a nodemailer pool (SEND_CONCURRENCY connections, as many sends
 * in flight as the module allows itself) sending as many mails as the module sent, to the same
 * SMTP sink (the host's), each with the subject, text and headers of a mail the module really
 * sent, to the panel customers' addresses. What stays between the two is the module's work per
 * mail (claim, token, template, bookkeeping) and the host's one-connection-per-mail transport.
 * `pool: false` sends like the host's mail port does (a new SMTP connection per mail, same number
 * in flight), which splits that gap into the host transport's share and the module's.
 */
import { performance } from 'node:perf_hooks'
import nodemailer from 'nodemailer'

export const SEND_CONCURRENCY = 4

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
