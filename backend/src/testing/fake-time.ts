/**
 * A fake clock for source-client tests: the client's injected sleep advances it, so bucket
 * leaks, Retry-After and backoff cost no real time.
 */
export interface FakeTime {
  clock: () => number
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>
  /** every sleep asked for, in ms */
  sleeps: number[]
}

export function fakeTime(start = Date.UTC(2025, 0, 1, 12)): FakeTime {
  let now = start
  const sleeps: number[] = []
  return {
    clock: () => now,
    sleeps,
    sleep: async (ms, signal) => {
      signal?.throwIfAborted()
      sleeps.push(ms)
      now += ms
      // let other tasks run, as a real sleep would
      await Promise.resolve()
      signal?.throwIfAborted()
    },
  }
}
