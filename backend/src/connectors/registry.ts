/** The connectable platforms; adding a platform adds one line here. */
import type { PlatformId, SourceCredentials } from '@cm/contracts'
import type { SourceConnector } from './connector.ts'
import { shoperConnector } from './shoper/shoper.connector.ts'

const CONNECTORS: Partial<Record<PlatformId, SourceConnector<never>>> = {
  shoper: shoperConnector,
}

export function connectorFor(platform: PlatformId): SourceConnector<SourceCredentials> | null {
  return (CONNECTORS[platform] as SourceConnector<SourceCredentials> | undefined) ?? null
}
