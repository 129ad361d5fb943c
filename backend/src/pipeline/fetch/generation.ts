/** Generation details (szczegóły i status generowania): counters updated as the fetch runs. */
import type { GenerationDetails, SkipReason } from '@cm/contracts'
import type { SourceEvent } from '../../connectors/connector.ts'

export { emptyGenerationDetails as emptyGeneration } from '@cm/contracts'

export function countEvent(g: GenerationDetails, e: SourceEvent): void {
  if (e.type === 'request') g.requests++
  else if (e.type === 'rate_limit_wait') {
    g.rateLimitWaits++
    g.rateLimitWaitMs += Math.round(e.ms)
  } else if (e.type === 'retry') g.retries++
}

export function addLeftOut(g: GenerationDetails, leftOut: Partial<Record<SkipReason, number>>): void {
  for (const [k, n] of Object.entries(leftOut) as [SkipReason, number][]) g.leftOut[k] = (g.leftOut[k] ?? 0) + n
}
