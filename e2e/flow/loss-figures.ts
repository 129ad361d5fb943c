/**
 * Losses counted for the reliability report from the panel's SQLite file (read-only: it answers
 * whether the host is alive, killed or gone) and from mail counts per recipient.
 */
import type { Losses } from '../../backend/src/testing/reliability-record.ts'
import { readDb } from './host-process.ts'

/** lost: expected source customers with no panel customer; duplicated: panel customers minus distinct refs */
export function panelLosses(dataDir: string, importId: string, expected: Iterable<string>): Losses {
  const prefix = `cm:${importId}:`
  const refs = readDb(dataDir, (db) => db.prepare('select external_ref as r from panel_customer where substr(external_ref, 1, ?) = ?').all(prefix.length, prefix) as Array<{ r: string }>)
  const present = new Set(refs.map((x) => x.r))
  return { customersLost: [...expected].filter((s) => !present.has(`${prefix}${s}`)).length, customersDuplicated: refs.length - present.size }
}

/** lost: expected customers with no buffer row; duplicated: rows minus distinct source ids */
export function bufferLosses(dataDir: string, importId: string, expected: number): Losses {
  const n = readDb(dataDir, (db) => db.prepare('select count(*) as rows, count(distinct source_id) as ids from xcm_buffer_customer where import_id = ?').get(Number(importId))) as { rows: number; ids: number }
  return { customersLost: expected - n.ids, customersDuplicated: n.rows - n.ids }
}

/** source ids of an import's buffer rows in these states */
export function bufferSourceIds(dataDir: string, importId: string, states: string[]): string[] {
  return readDb(dataDir, (db) =>
    (db.prepare(`select source_id as s from xcm_buffer_customer where import_id = ? and state in (${states.map(() => '?').join(',')})`).all(Number(importId), ...states) as Array<{ s: string }>).map((r) => r.s),
  )
}

/** recipients among `emails` who got more than one mail between the two counts */
export function mailsTwice(before: Map<string, number>, after: Map<string, number>, emails: Iterable<string>): number {
  return [...new Set([...emails].map((e) => e.toLowerCase()))].filter((e) => (after.get(e) ?? 0) - (before.get(e) ?? 0) > 1).length
}
