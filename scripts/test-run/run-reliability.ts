/**
 * `npm run test:reliability`: exactly the test files that write reliability records (the list in
 * reliability-files.ts), from an empty records folder so no earlier run adds up, then the report.
 * Exits non-zero when vitest or the report does.
 */
import { spawnSync } from 'node:child_process'
import { rmSync } from 'node:fs'
import path from 'node:path'
import { readReliabilityRecords, RELIABILITY_DIR } from '../../backend/src/testing/reliability-record.ts'
import { reliabilityReport } from '../reliability-report.ts'
import { RELIABILITY_FILES } from './reliability-files.ts'

const ROOT = path.resolve(import.meta.dirname, '../..')
rmSync(RELIABILITY_DIR, { recursive: true, force: true })
// the same SQLite legs as npm test runs them
const env = { ...process.env }
delete env.DATABASE_URL
delete env.TEST_DATABASE_URL
const vitest = spawnSync(process.execPath, [path.join(ROOT, 'node_modules/vitest/vitest.mjs'), 'run', '--project', 'node', ...RELIABILITY_FILES], { cwd: ROOT, env, stdio: 'inherit' })
const { text, ok } = reliabilityReport(readReliabilityRecords(), RELIABILITY_FILES)
console.log(text)
process.exitCode = vitest.status === 0 && ok ? 0 : 1
