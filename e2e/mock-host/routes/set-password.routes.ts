/** The storefront page behind the mailed link: a migrated customer sets a password here. */
import { Hono } from 'hono'
import { html } from 'hono/html'
import type { RedeemResult } from '@cm/backend'
import { layout } from '../html.ts'

const MIN_LENGTH = 8
const MAX_LENGTH = 128

const REASONS: Record<Extract<RedeemResult, { ok: false }>['reason'], { status: 400 | 404 | 410; text: string }> = {
  unknown: { status: 404, text: 'Ten link jest nieprawidłowy. Sprawdź, czy skopiowano go w całości.' },
  expired: { status: 410, text: 'Ten link wygasł. Poproś sklep o wysłanie nowego.' },
  used: { status: 410, text: 'Ten link został już użyty. Zaloguj się nowym hasłem.' },
}

function form(token: string, shop: string, error?: string) {
  return layout(
    'Ustaw hasło',
    html`<h1>Ustaw hasło do konta</h1>
      ${error ? html`<p class="error" role="alert">${error}</p>` : ''}
      <form method="post" action="/konto/ustaw-haslo">
        <input type="hidden" name="token" value="${token}" />
        <input type="hidden" name="shop" value="${shop}" />
        <p><label>Nowe hasło <input name="password" type="password" autocomplete="new-password" minlength="${MIN_LENGTH}" required /></label></p>
        <p><label>Powtórz hasło <input name="password2" type="password" autocomplete="new-password" minlength="${MIN_LENGTH}" required /></label></p>
        <p><button type="submit">Ustaw hasło</button></p>
      </form>`,
  )
}

export function setPasswordRoutes(redeem: (token: string, password: string) => Promise<RedeemResult>) {
  return new Hono()
    .get('/konto/ustaw-haslo', (c) => {
      const token = c.req.query('token') ?? ''
      if (!token) return c.html(layout('Ustaw hasło', html`<p class="error">${REASONS.unknown.text}</p>`), 404)
      return c.html(form(token, c.req.query('shop') ?? ''))
    })
    .post('/konto/ustaw-haslo', async (c) => {
      const body = await c.req.parseBody()
      const token = typeof body.token === 'string' ? body.token : ''
      const shop = typeof body.shop === 'string' ? body.shop : ''
      const password = typeof body.password === 'string' ? body.password : ''
      if (!token) return c.html(layout('Ustaw hasło', html`<p class="error">${REASONS.unknown.text}</p>`), 404)
      if (password.length < MIN_LENGTH || password.length > MAX_LENGTH) {
        return c.html(form(token, shop, `Hasło musi mieć od ${MIN_LENGTH} do ${MAX_LENGTH} znaków.`), 400)
      }
      if (password !== body.password2) return c.html(form(token, shop, 'Hasła nie są takie same.'), 400)
      const result = await redeem(token, password)
      if (!result.ok) {
        const r = REASONS[result.reason]
        return c.html(layout('Ustaw hasło', html`<p class="error" role="alert">${r.text}</p>`), r.status)
      }
      return c.html(
        layout('Hasło ustawione', html`<h1>Hasło zostało ustawione</h1><p class="ok">Możesz już zalogować się do sklepu nowym hasłem.</p>`),
      )
    })
}
