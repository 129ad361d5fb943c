/** One-time, expiring set-password tokens; the database holds only their SHA-256. */
import { createHash, randomBytes } from 'node:crypto'
import type { EntityManager } from '@mikro-orm/core'
import type { ModuleContext } from '../../context.ts'
import { em } from '../../context.ts'
import { PasswordTokenEntity } from '../../db/password-token.entity.ts'
import type { RedeemResult } from '../../module.types.ts'

const hash = (token: string) => createHash('sha256').update(token).digest('hex')

export async function issueToken(
  ctx: ModuleContext,
  e: EntityManager,
  bufferCustomerId: number,
  panelCustomerId: string,
): Promise<{ token: string; expiresAt: Date }> {
  const token = randomBytes(32).toString('base64url')
  const expiresAt = new Date(ctx.clock.now().getTime() + ctx.settings.passwordLinkTtlHours * 3_600_000)
  // a new link replaces older unused ones of the same customer
  await e.nativeUpdate(PasswordTokenEntity, { bufferCustomerId, usedAt: null }, { usedAt: ctx.clock.now() })
  await e.insert(PasswordTokenEntity, { tokenHash: hash(token), bufferCustomerId, panelCustomerId, expiresAt, usedAt: null, createdAt: ctx.clock.now() })
  return { token, expiresAt }
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
