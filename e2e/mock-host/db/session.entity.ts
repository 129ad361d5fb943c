/** A signed-in panel user's session; only the token's hash is stored, so a leaked table grants nothing. */
import { defineEntity, p, type InferEntity } from '@mikro-orm/core'

export const PanelSession = defineEntity({
  name: 'PanelSession',
  tableName: 'panel_session',
  properties: {
    /** sha256 of the cookie token, hex */
    tokenHash: p.string().length(64).primary(),
    userLogin: p.string().length(64),
    createdAt: p.datetime().onCreate(() => new Date()),
    expiresAt: p.datetime().index(),
  },
})
export type IPanelSession = InferEntity<typeof PanelSession>
