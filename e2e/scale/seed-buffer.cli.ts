/**
 * `node --import tsx e2e/scale/seed-buffer.cli.ts <rows>` with DATA_DIR set: seeds one buffered
 * import of <rows> customers (seed-buffer.ts) and prints what it did as the last line, in JSON.
 */
import { seedBuffer } from './seed-buffer.ts'

const rows = Number(process.argv[2])
const dataDir = process.env.DATA_DIR?.trim()
if (!Number.isInteger(rows) || rows < 1 || !dataDir) {
  console.error('usage: DATA_DIR=<folder> node --import tsx e2e/scale/seed-buffer.cli.ts <rows>')
  process.exit(2)
}
console.log(JSON.stringify(await seedBuffer(dataDir, rows)))
