/** Sign in and out of the panel; the session cookie is what the module's auth port reads. */
import { Hono } from 'hono'
import { html } from 'hono/html'
import { deleteCookie, setCookie } from 'hono/cookie'
import { z } from 'zod'
import { layout } from '../html.ts'
import { SESSION_COOKIE, type PanelAuth } from '../ports/auth.port.ts'
import { apiError, isForm, requireCaller, safeNext, type HostEnv } from './http.ts'

const LoginRequest = z.object({ login: z.string().max(200), password: z.string().max(200) })

export function loginPage(opts: { next: string; error?: string }) {
  return layout(
    'Logowanie',
    html`<h1>Logowanie do panelu</h1>
      ${opts.error ? html`<p class="error" role="alert">${opts.error}</p>` : ''}
      <form method="post" action="/auth/login">
        <input type="hidden" name="next" value="${opts.next}" />
        <p><label>Login <input name="login" autocomplete="username" required autofocus /></label></p>
        <p><label>Hasło <input name="password" type="password" autocomplete="current-password" required /></label></p>
        <p><button type="submit">Zaloguj się</button></p>
      </form>
      <p><small>Użytkownicy testowi: <code>admin</code> / <code>admin</code> (wszystkie uprawnienia),
        <code>operator</code> / <code>operator</code> (import klientów, bez edycji szablonów).</small></p>`,
  )
}

export function authRoutes(auth: PanelAuth, opts: { secureCookie: boolean }) {
  const FAILED = 'Nieprawidłowy login lub hasło.'
  return new Hono<HostEnv>()
    .get('/login', (c) => c.html(loginPage({ next: safeNext(c.req.query('next')) })))
    .post('/auth/login', async (c) => {
      const form = isForm(c)
      const body: unknown = form ? await c.req.parseBody() : await c.req.json().catch(() => null)
      const parsed = LoginRequest.safeParse(body)
      const next = safeNext(form ? (body as Record<string, unknown>).next : undefined)
      if (!parsed.success) {
        if (form) return c.html(loginPage({ next, error: FAILED }), 400)
        return apiError(c, 400, 'VALIDATION_FAILED', 'Podaj login i hasło (JSON: {login, password}).')
      }
      const session = await auth.signIn(parsed.data.login, parsed.data.password)
      if (!session) {
        if (form) return c.html(loginPage({ next, error: FAILED }), 401)
        return apiError(c, 401, 'UNAUTHENTICATED', FAILED)
      }
      setCookie(c, SESSION_COOKIE, session.token, {
        httpOnly: true,
        sameSite: 'Lax',
        path: '/',
        secure: opts.secureCookie,
        expires: session.expiresAt,
      })
      if (form) return c.redirect(next, 303)
      return c.json({ user: session.caller })
    })
    .post('/auth/logout', async (c) => {
      await auth.signOut(c.req.raw)
      deleteCookie(c, SESSION_COOKIE, { path: '/', secure: opts.secureCookie })
      if (isForm(c) || (c.req.header('accept') ?? '').includes('text/html')) return c.redirect('/login', 303)
      return c.body(null, 204)
    })
    .get('/api/me', requireCaller(auth), (c) => c.json(c.get('caller')))
}
