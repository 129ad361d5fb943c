import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { MikroORM } from '@mikro-orm/core'
import { PanelSession } from '../db/session.entity.ts'
import type { PanelDb } from '../orm.ts'
import { authRoutes } from '../routes/auth.routes.ts'
import { memoryPanel } from '../test-db.ts'
import { createAuthPort, SESSION_COOKIE, type PanelAuth } from './auth.port.ts'

const withCookie = (token: string) => new Request('http://panel.local/api/x', { headers: { cookie: `a=b; ${SESSION_COOKIE}=${token}` } })

describe('auth port', () => {
  let orm: MikroORM
  let db: PanelDb
  let clock: Date
  let auth: PanelAuth

  beforeEach(async () => {
    ;({ orm, db } = await memoryPanel({ shops: false }))
    clock = new Date('2026-01-01T10:00:00Z')
    auth = createAuthPort(db, { ttlMs: 60_000, now: () => clock })
  })
  afterEach(() => orm.close())

  it('turns the session cookie into the caller', async () => {
    const s = await auth.signIn('admin', 'admin')
    expect(s).not.toBeNull()
    const caller = await auth.identify(withCookie(s!.token))
    expect(caller).toEqual({ adminId: '1', login: 'admin', permissions: ['customers.import', 'templates.manage'], locale: 'pl' })
  })

  it('gives the operator the import permission but not templates.manage', async () => {
    const s = await auth.signIn('operator', 'operator')
    const caller = await auth.identify(withCookie(s!.token))
    expect(caller?.permissions).toContain('customers.import')
    expect(caller?.permissions).not.toContain('templates.manage')
  })

  it('refuses wrong passwords, unknown users and unknown or missing cookies', async () => {
    expect(await auth.signIn('admin', 'Admin')).toBeNull()
    expect(await auth.signIn('root', 'admin')).toBeNull()
    expect(await auth.identify(withCookie('forged'))).toBeNull()
    expect(await auth.identify(new Request('http://panel.local/'))).toBeNull()
  })

  it('stores only a hash of the token, and forgets expired and signed-out sessions', async () => {
    const s = await auth.signIn('admin', 'admin')
    const row = await db.fork().findOneOrFail(PanelSession, { userLogin: 'admin' })
    expect(row.tokenHash).not.toContain(s!.token)
    clock = new Date(clock.getTime() + 61_000)
    expect(await auth.identify(withCookie(s!.token))).toBeNull()

    const s2 = await auth.signIn('admin', 'admin')
    await auth.signOut(withCookie(s2!.token))
    expect(await auth.identify(withCookie(s2!.token))).toBeNull()
  })

  it('POST /auth/login sets an HttpOnly, SameSite=Lax cookie; a wrong password is a 401 envelope', async () => {
    const app = authRoutes(auth, { secureCookie: false })
    const bad = await app.request('/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login: 'admin', password: 'x' }) })
    expect(bad.status).toBe(401)
    expect(await bad.json()).toMatchObject({ error: { code: 'UNAUTHENTICATED' } })

    const ok = await app.request('/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login: 'operator', password: 'operator' }) })
    expect(ok.status).toBe(200)
    const cookie = ok.headers.get('set-cookie') ?? ''
    expect(cookie).toMatch(new RegExp(`^${SESSION_COOKIE}=`))
    expect(cookie).toContain('HttpOnly')
    expect(cookie).toContain('SameSite=Lax')

    const me = await app.request('/api/me', { headers: { cookie: cookie.split(';')[0]! } })
    expect(await me.json()).toMatchObject({ login: 'operator' })
    expect((await app.request('/api/me')).status).toBe(401)
  })
})
