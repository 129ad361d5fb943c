/** Before the suite: clear the screenshots of an earlier run (test-results/screenshots). */
import fs from 'node:fs'
import { SCREENSHOT_ROOT } from './support.ts'

export default function globalSetup(): void {
  fs.rmSync(SCREENSHOT_ROOT, { recursive: true, force: true })
}
