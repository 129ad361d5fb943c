/** Memory figures of processes: a child's VmHWM from /proc, the bench's own maxRSS. */
import { readFileSync } from 'node:fs'

/** the peak resident set of a live process (VmHWM), in MB; null when /proc does not tell (not Linux, or gone) */
export function peakRssMBOf(pid: number | undefined): number | null {
  if (!pid) return null
  try {
    const m = /^VmHWM:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
    return m ? Math.round(Number(m[1]) / 1024) : null
  } catch {
    return null
  }
}

/** the bench process's own peak RSS (maxRSS is in kB) */
export const benchPeakRssMB = () => Math.round(process.resourceUsage().maxRSS / 1024)
