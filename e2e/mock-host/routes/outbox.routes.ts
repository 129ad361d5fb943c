/** The SMTP sink's outbox for people (/outbox) and for QA (/api/outbox, oldest first). */
import { Hono } from 'hono'
import { html } from 'hono/html'
import { layout } from '../html.ts'
import type { MailSink, OutboxMail } from '../mail-sink.ts'

function filtered(sink: MailSink, to: string | undefined): OutboxMail[] {
  const all = sink.list()
  if (!to) return all
  const want = to.toLowerCase()
  return all.filter((m) => m.to.some((r) => r.toLowerCase() === want))
}

export function outboxRoutes(sink: MailSink) {
  return new Hono()
    .get('/api/outbox', (c) => {
      const items = filtered(sink, c.req.query('to'))
      return c.json({ items, nextCursor: null, total: items.length })
    })
    .get('/outbox', (c) => {
      const items = filtered(sink, c.req.query('to')).reverse()
      return c.html(
        layout(
          'Wysłane maile',
          html`<h1>Wysłane maile (${items.length})</h1>
            ${items.length === 0
              ? html`<p>Brak wiadomości.</p>`
              : html`<table>
                  <thead><tr><th>Otrzymano</th><th>Od</th><th>Do</th><th>Temat</th><th>Treść</th></tr></thead>
                  <tbody>
                    ${items.map(
                      (m) => html`<tr data-mail-id="${m.id}">
                        <td>${m.receivedAt}</td><td>${m.from}</td><td>${m.to.join(', ')}</td>
                        <td>${m.subject}</td><td><pre>${m.text}</pre></td>
                      </tr>`,
                    )}
                  </tbody>
                </table>`}`,
        ),
      )
    })
}
