/**
 * Polls while a queued background job (import all, notify all) runs: every POLL_MS it refreshes,
 * and stops once the job says it is done or nothing has moved for STALL_POLLS polls.
 */
export const POLL_MS = 2000
const STALL_POLLS = 5

export interface SettlePoller {
  start(): void
  stop(): void
}

/** `step` refreshes and returns a progress key and whether the job is done; a failed step is retried. */
export function settlePoller(step: () => Promise<{ key: string; done: boolean }>, onSettled: () => void): SettlePoller {
  let timer: ReturnType<typeof setTimeout> | null = null
  const stop = () => {
    if (timer) clearTimeout(timer)
    timer = null
  }
  const start = () => {
    stop()
    let last: string | null = null
    let still = 0
    const tick = async () => {
      timer = null
      let key = last
      let done = false
      try {
        ;({ key, done } = await step())
      } catch {
        // a failed poll is retried on the next tick
      }
      still = key === last ? still + 1 : 0
      last = key
      if (done || still >= STALL_POLLS) return onSettled()
      timer = setTimeout(() => void tick(), POLL_MS)
    }
    timer = setTimeout(() => void tick(), POLL_MS)
  }
  return { start, stop }
}
