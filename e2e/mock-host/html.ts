/** The mock panel's page frame: tiny, Polish, no assets (the real UI comes with the remote). */
import { html } from 'hono/html'
import type { HtmlEscapedString } from 'hono/utils/html'

type Content = HtmlEscapedString | Promise<HtmlEscapedString> | string

export function layout(title: string, body: Content, opts: { user?: string | null; lang?: 'pl' | 'en' } = {}) {
  return html`<!doctype html>
<html lang="${opts.lang ?? 'pl'}">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>${title} – Panel (mock)</title>
    <style>
      body { font-family: system-ui, sans-serif; margin: 0; color: #222; }
      header { background: #1f3b57; color: #fff; padding: .6rem 1rem; display: flex; gap: 1.2rem; align-items: center; }
      header a { color: #fff; }
      main { padding: 1rem 1.5rem; max-width: 70rem; }
      table { border-collapse: collapse; width: 100%; }
      td, th { border: 1px solid #ccc; padding: .3rem .5rem; text-align: left; vertical-align: top; }
      .error { color: #b00020; }
      .ok { color: #1b6e20; }
      pre { white-space: pre-wrap; margin: 0; }
      .langs a[aria-current] { font-weight: bold; }
      .modes a[aria-current] { font-weight: bold; }
      .module { margin-top: 1rem; border-top: 1px solid #ccc; padding-top: .5rem; }
    </style>
  </head>
  <body>
    <header>
      <strong>Panel sklepu</strong>
      <a href="/klienci/eksport-import">Klienci</a>
      <a href="/administracja/wiadomosci-transakcyjne">Administracja</a>
      <a href="/outbox">Wysłane maile</a>
      ${opts.user
        ? html`<span>Zalogowany: ${opts.user}</span>
            <form method="post" action="/auth/logout" style="margin:0"><button>Wyloguj</button></form>`
        : html`<a href="/login">Zaloguj</a>`}
    </header>
    <main>${body}</main>
  </body>
</html>`
}
