/** RELIABILITY_FILES is exactly the test files that open reliability cases. */
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { expect, it } from 'vitest'
import { RELIABILITY_FILES } from './reliability-files.ts'

const ROOT = path.resolve(import.meta.dirname, '../..')
const SKIP = new Set(['node_modules', 'dist', 'test-results', '.git'])

function testFiles(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = path.posix.join(dir, e.name)
    if (e.isDirectory()) return SKIP.has(e.name) ? [] : testFiles(rel)
    return e.name.endsWith('.test.ts') ? [rel] : []
  })
}

it('lists every test file that calls reliabilityCase, and no other', () => {
  const opening = ['backend', 'contracts', 'e2e', 'frontend', 'scripts']
    .flatMap(testFiles)
    .filter((f) => /\breliabilityCase\s*\(/.test(readFileSync(path.join(ROOT, f), 'utf8')))
    .sort()
  expect([...RELIABILITY_FILES].sort()).toEqual(opening)
})
