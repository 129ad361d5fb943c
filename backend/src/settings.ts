/** The module's defaults: production-safe; hosts and tests loosen them explicitly. */
import { XML_LIMITS } from '@cm/contracts'
import type { ModuleSettings } from './ports.ts'

export const DEFAULT_SETTINGS: ModuleSettings = {
  allowPrivateSources: false,
  allowHttpSources: false,
  maxUploadBytes: XML_LIMITS.fileBytes,
  passwordLinkTtlHours: 72,
  source: { requestTimeoutMs: 10_000, retries: 5, minRetryDelayMs: 500, maxRetryDelayMs: 30_000, maxConsecutiveFailures: 8 },
  log: () => {},
}

export function resolveSettings(s: Partial<ModuleSettings> | undefined): ModuleSettings {
  return { ...DEFAULT_SETTINGS, ...s, source: { ...DEFAULT_SETTINGS.source, ...s?.source } }
}
