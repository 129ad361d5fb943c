/**
 * What the engine knows of a source platform. One folder per platform implements it;
 * registry.ts lists them. Every connector passes the shared conformance suite.
 */
import type { CanonicalCustomer, ConnectionCheckResponse, ConnectionErrorCode, PlatformId, SkipReason, SourceCredentials } from '@cm/contracts'

/** fetch as the engine hands it out: address-guarded (SSRF) and pinned to the checked address */
export type FetchFn = (url: string, init?: RequestInit) => Promise<Response>

export interface SourceHttpOptions {
  fetch: FetchFn
  signal?: AbortSignal
  /** per request */
  requestTimeoutMs: number
  /** retries of 5xx, timeouts and resets (429 waits do not count) */
  retries: number
  /**
   * circuit breaker: after this many failed requests in a row (5xx, timeouts, resets, broken
   * answers; across retries, calls and pages; 429s neither count nor reset) no more requests are
   * made and the read fails with SOURCE_UNAVAILABLE. DEFAULT_MAX_CONSECUTIVE_FAILURES when unset.
   */
  maxConsecutiveFailures?: number
  /** a breaker to share between clients of one read (one per client otherwise) */
  breaker?: CircuitBreaker
  minRetryDelayMs: number
  maxRetryDelayMs: number
  /** counters for the generation details */
  onEvent?: (e: SourceEvent) => void
  /** sleep; injectable so tests need not wait */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>
}

export type SourceEvent =
  | { type: 'request' }
  | { type: 'rate_limit_wait'; ms: number }
  | { type: 'retry'; reason: string }
  | { type: 'reauth' }

/** A page of customers; `cursor` resumes right after it. */
export interface CustomerPage {
  customers: CanonicalCustomer[]
  /** accounts read in this page (customers written + accounts left out, e.g. guests) */
  read: number
  leftOut: Partial<Record<SkipReason, number>>
  cursor: string
  /** how many source records there are in all, when the source says */
  total: number | null
}

/**
 * A folder the connector may keep scratch files in for one import (e.g. a join table on disk),
 * kept across resumes of that import and removed with its file. Without it the connector uses a
 * temporary folder of its own, removed when the read ends, and a resume rebuilds what it needs.
 */
export interface SourceWork {
  dir: string
}

export interface SourceConnector<C extends SourceCredentials = SourceCredentials> {
  platform: PlatformId
  check(credentials: C, http: SourceHttpOptions): Promise<ConnectionCheckResponse>
  /**
   * Reads every customer, page by page, starting after `cursor` (null: from the start).
   * Ends with a page whose `customers` may be empty but whose leftOut carries totals
   * the source only knows at the end (e.g. newsletter-only subscribers).
   */
  pages(credentials: C, cursor: string | null, http: SourceHttpOptions, work?: SourceWork): AsyncGenerator<CustomerPage>
}

/** A source failure with the code the admin sees; `retryable` ones are retried before failing. */
export class SourceError extends Error {
  constructor(
    readonly code: ConnectionErrorCode,
    message: string,
    readonly retryable: boolean = false,
  ) {
    super(message)
    this.name = 'SourceError'
  }
}

export const DEFAULT_MAX_CONSECUTIVE_FAILURES = 8

/**
 * Counts failed requests in a row; once `threshold` is reached it stays open and every further
 * request is refused before it is sent, so a dead source is not hammered by retries.
 */
export class CircuitBreaker {
  private failures = 0
  private lastReason = ''
  constructor(readonly threshold: number = DEFAULT_MAX_CONSECUTIVE_FAILURES) {}

  get open(): boolean {
    return this.failures >= this.threshold
  }

  /** failed requests in a row so far */
  get consecutiveFailures(): number {
    return this.failures
  }

  success(): void {
    if (!this.open) this.failures = 0
  }

  /** notes a failed request; answers the error to throw when this one opened the breaker */
  failure(reason: string): SourceError | null {
    if (this.open) return this.error()
    this.failures++
    this.lastReason = reason
    return this.open ? this.error() : null
  }

  /** the error a refused request fails with */
  error(): SourceError {
    return new SourceError(
      'SOURCE_UNAVAILABLE',
      `the shop failed ${this.failures} requests in a row (last: ${this.lastReason}); the fetch stopped so as not to hammer it, resume it later`,
      false,
    )
  }
}
