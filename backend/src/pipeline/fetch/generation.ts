/** Generation details (szczegóły i status generowania): counters updated as the fetch runs. */
import type { GenerationDetails, SkipReason } from '@cm/contracts'
import type { SourceEvent } from '../../connectors/connector.ts'

export function emptyGeneration(): GenerationDetails {
  return {
    startedAt: null,
    finishedAt: null,
    pagesFetched: 0,
    requests: 0,
    rateLimitWaits: 0,
    rateLimitWaitMs: 0,
    retries: 0,
    customersWritten: 0,
    leftOut: {},
    lastError: null,
    resumes: 0,
  }
}

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
