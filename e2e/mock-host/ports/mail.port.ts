/**
 * Transactional mail through nodemailer to the panel's SMTP server (the local sink in the mock
 * host), over a pool of kept-alive SMTP connections: a new connection for every mail (TCP,
 * greeting, EHLO, QUIT) cost more than the mail itself once the module sends a whole import
 * (~30 mails/s at best).
 */
import nodemailer from 'nodemailer'
import type { MailPort } from '@cm/backend'

/**
 * Connections kept open to the SMTP server: as many as the module hands over at once (its
 * SEND_WINDOW), so every mail of a window is on the wire together instead of queueing here.
 */
export const MAIL_CONNECTIONS = 8

export interface PanelMail extends MailPort {
  close(): void
}

/**
 * `port` may be a getter: with SMTP_PORT=0 the sink's port is known only once it listens.
 * `delayMs` (MAIL_DELAY_MS, tests only): the mail service confirms this long after the server accepted the mail.
 */
export function createMailPort(opts: { host: string; port: number | (() => number); delayMs?: number }): PanelMail {
  let transport: ReturnType<typeof nodemailer.createTransport> | null = null
  function smtp() {
    const port = typeof opts.port === 'function' ? opts.port() : opts.port
    // the sink speaks plain SMTP on loopback; ignoreTLS keeps nodemailer from trying STARTTLS.
    // maxRequeues 0: a connection lost mid-mail fails that mail (the module records why) instead of
    // the pool sending it again on its own, which could deliver it twice (the server may have it)
    transport ??= nodemailer.createTransport({
      pool: true,
      maxConnections: MAIL_CONNECTIONS,
      maxMessages: Infinity,
      maxRequeues: 0,
      host: opts.host,
      port,
      secure: false,
      ignoreTLS: true,
    })
    return transport
  }
  return {
    async send(mail) {
      // sendMail resolves after the server's 250 to DATA, i.e. once the mail was accepted
      const info = await smtp().sendMail({
        from: `sklep-${mail.shopId}@panel.local`,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        headers: { 'X-Panel-Shop': mail.shopId, 'X-Panel-Template': mail.templateId },
      })
      if (info.rejected.length > 0 || info.accepted.length === 0) {
        throw new Error(`The mail server refused the recipient ${mail.to}`)
      }
      if (opts.delayMs) await new Promise((r) => setTimeout(r, opts.delayMs))
      return { messageId: info.messageId }
    },
    close() {
      transport?.close()
      transport = null
    },
  }
}
