/** One-time, expiring set-password tokens; the database holds only their SHA-256. */
import { createHash, randomBytes } from 'node:crypto'
import type { ModuleContext } from '../../context.ts'
import { em } from '../../context.ts'
import { PasswordTokenEntity } from '../../db/password-token.entity.ts'
import type { RedeemResult } from '../../module.types.ts'
import type { NotifyTx } from './notify.sql.ts'

const hash = (token: string) => createHash('sha256').update(token).digest('hex')

export interface IssuedToken {
  bufferCustomerId: number
  token: string
  expiresAt: Date
}

/**
 * Links for a window of customers about to be mailed, in the window's transaction: one statement
 * retires their older unused links (a new link replaces them), one inserts the new hashes.
 */
export async function issueTokens(ctx: ModuleContext, tx: NotifyTx, customers: Array<{ bufferCustomerId: number; panelCustomerId: string }>): Promise<IssuedToken[]> {
  if (customers.length === 0) return []
  const now = ctx.clock.now()
  const expiresAt = new Date(now.getTime() + ctx.settings.passwordLinkTtlHours * 3_600_000)
  const issued = customers.map((c) => ({ ...c, token: randomBytes(32).toString('base64url'), expiresAt }))
  await tx.retireTokens(customers.map((c) => c.bufferCustomerId), now)
  await tx.insertTokens(issued.map((c) => ({ tokenHash: hash(c.token), bufferCustomerId: c.bufferCustomerId, panelCustomerId: c.panelCustomerId, expiresAt, createdAt: now })))
  return issued.map((c) => ({ bufferCustomerId: c.bufferCustomerId, token: c.token, expiresAt }))
}

export async function redeemToken(ctx: ModuleContext, token: string, newPassword: string): Promise<RedeemResult> {
  const e = em(ctx)
  const row = await e.findOne(PasswordTokenEntity, { tokenHash: hash(token) })
  if (!row) return { ok: false, reason: 'unknown' }
  if (row.usedAt) return { ok: false, reason: 'used' }
  if (row.expiresAt.getTime() <= ctx.clock.now().getTime()) return { ok: false, reason: 'expired' }
  // conditional: of two simultaneous redemptions only one wins
  const won = await e.nativeUpdate(PasswordTokenEntity, { id: row.id, usedAt: null }, { usedAt: ctx.clock.now() })
  if (won === 0) return { ok: false, reason: 'used' }
  await ctx.ports.customers.setPassword(row.panelCustomerId, newPassword)
  return { ok: true, customerId: row.panelCustomerId }
}
