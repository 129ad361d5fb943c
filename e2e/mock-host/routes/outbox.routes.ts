/**
 * The SMTP sink's outbox for people (/outbox, the newest mails) and for QA (/api/outbox, oldest
 * first, `?to=` one recipient). The outbox may hold a million mails, so neither answers with all
 * of them at once: /api/outbox gives up to API_PAGE mails and a `nextCursor` for the rest.
 */
import { Hono } from 'hono'
import { html } from 'hono/html'
import { layout } from '../html.ts'
import type { MailSink } from '../mail-sink.ts'

export const API_PAGE = 10_000
const PAGE_NEWEST = 200

function position(cursor: string | undefined): number {
  const n = Number(cursor)
  return Number.isSafeInteger(n) && n >= 0 ? n : 0
}

export function outboxRoutes(sink: MailSink) {
  return new Hono()
    .get('/api/outbox', (c) => {
      const limit = Math.min(API_PAGE, Math.max(1, position(c.req.query('limit')) || API_PAGE))
      const page = sink.page({ to: c.req.query('to') || undefined, from: position(c.req.query('cursor')), limit })
      return c.json({ items: page.items, nextCursor: page.next === null ? null : String(page.next), total: page.total })
    })
    .get('/outbox', (c) => {
      const to = c.req.query('to') || undefined
      // one recipient's mails are few; without a filter only the newest are read from the file
      const page = to ? sink.page({ to, limit: Infinity }) : sink.page({ from: sink.count() - PAGE_NEWEST, limit: PAGE_NEWEST })
      const total = page.total
      const items = page.items.slice(-PAGE_NEWEST).reverse()
      return c.html(
        layout(
          'Wysłane maile',
          html`<h1>Wysłane maile (${total})</h1>
            ${total > items.length ? html`<p>Najnowsze ${items.length} z ${total}.</p>` : ''}
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
