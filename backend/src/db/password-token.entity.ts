/** One-time set-password tokens mailed to imported customers; only the hash is stored. */
import { defineEntity, p, type InferEntity } from '@mikro-orm/core'

export const PasswordTokenEntity = defineEntity({
  name: 'CmPasswordToken',
  tableName: 'xcm_password_token',
  properties: {
    id: p.integer().primary().autoincrement(),
    tokenHash: p.string().length(64).unique(),
    bufferCustomerId: p.integer().index(),
    panelCustomerId: p.string().length(64),
    expiresAt: p.datetime(),
    usedAt: p.datetime().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
})
export type PasswordTokenRow = InferEntity<typeof PasswordTokenEntity>
