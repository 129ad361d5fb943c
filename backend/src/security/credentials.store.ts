/** Source credentials of an import, sealed with the host's key and bound to the import id. */
import { SourceCredentials } from '@cm/contracts'
import type { ModuleContext } from '../context.ts'
import { openSecret, sealSecret } from './credential-cipher.ts'

const aad = (importId: number) => `customer-migration:import:${importId}`

export function sealCredentials(ctx: ModuleContext, importId: number, c: SourceCredentials): string {
  return sealSecret(JSON.stringify(c), ctx.ports.secrets.credentialKeys(), aad(importId))
}

export function openCredentials(ctx: ModuleContext, importId: number, sealed: string): SourceCredentials {
  return SourceCredentials.parse(JSON.parse(openSecret(sealed, ctx.ports.secrets.credentialKeys(), aad(importId))))
}
