/**
 * Who calls: the `panel_session` cookie → a stored session → one of the panel's users.
 * Also signs users in and out (the host's /auth routes use it).
 */
import { randomBytes } from 'node:crypto'
import { parse } from 'hono/utils/cookie'
import type { AuthPort, Caller } from '@cm/backend'
import { PanelSession } from '../db/session.entity.ts'
import type { PanelDb } from '../orm.ts'
import { PANEL_USERS, type PanelUser } from '../panel-users.ts'
import { constantTimeEqual, sha256Hex } from '../passwords.ts'

export const SESSION_COOKIE = 'panel_session'
const DEFAULT_TTL_MS = 12 * 60 * 60 * 1000

export interface PanelAuth extends AuthPort {
  signIn(login: string, password: string): Promise<{ token: string; caller: Caller; expiresAt: Date } | null>
  signOut(req: Request): Promise<void>
}

function callerOf(u: PanelUser): Caller {
  return { adminId: u.id, login: u.login, permissions: [...u.permissions], locale: 'pl' }
}

function sessionToken(req: Request): string | null {
  const header = req.headers.get('cookie')
  if (!header) return null
  return parse(header, SESSION_COOKIE)[SESSION_COOKIE] || null
}

export function createAuthPort(
  db: PanelDb,
  opts: { ttlMs?: number; users?: readonly PanelUser[]; now?: () => Date } = {},
): PanelAuth {
  const users = opts.users ?? PANEL_USERS
  const ttlMs = opts.ttlMs ?? DEFAULT_TTL_MS
  const now = opts.now ?? (() => new Date())

  return {
    async identify(req) {
      const token = sessionToken(req)
      if (!token) return null
      const em = db.fork()
      const session = await em.findOne(PanelSession, { tokenHash: sha256Hex(token) })
      if (!session) return null
      if (session.expiresAt.getTime() <= now().getTime()) {
        em.remove(session)
        await em.flush()
        return null
      }
      const user = users.find((u) => u.login === session.userLogin)
      return user ? callerOf(user) : null
    },

    async signIn(login, password) {
      // compare against every user, so timing says nothing about which logins exist
      let match: PanelUser | null = null
      for (const u of users) {
        const loginOk = constantTimeEqual(login, u.login)
        const passwordOk = constantTimeEqual(password, u.password)
        if (loginOk && passwordOk) match = u
      }
      if (!match) return null
      const token = randomBytes(32).toString('base64url')
      const expiresAt = new Date(now().getTime() + ttlMs)
      const em = db.fork()
      em.create(PanelSession, { tokenHash: sha256Hex(token), userLogin: match.login, expiresAt })
      // expired sessions are dropped here, not by a timer
      await em.nativeDelete(PanelSession, { expiresAt: { $lte: now() } })
      await em.flush()
      return { token, caller: callerOf(match), expiresAt }
    },

    async signOut(req) {
      const token = sessionToken(req)
      if (token) await db.fork().nativeDelete(PanelSession, { tokenHash: sha256Hex(token) })
    },
  }
}
