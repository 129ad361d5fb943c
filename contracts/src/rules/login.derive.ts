/** Panel logins for sources that have none: derived from the e-mail, made unique against the panel. */
import { PANEL_FIELD_LIMITS } from '../index.ts'

/** Digits kept free at the end of a derived base, so `base` + counter still fits the panel's limit. */
const SUFFIX_ROOM = 6
const MAX_SUFFIX = 10 ** SUFFIX_ROOM - 1
const FALLBACK_BASE = 'klient'

/** Letters that NFD does not split into base + mark (ł is its own letter, not l + accent). */
const SPECIAL_LETTERS: Record<string, string> = {
  ł: 'l',
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  ı: 'i',
}

/** What the panel accepts (fault 2: "should only consist of small letters"; digits are allowed too). */
export function isValidLogin(s: string): boolean {
  return /^[a-z0-9]+$/.test(s) && s.length <= PANEL_FIELD_LIMITS.login
}

/** Reduces any text to the panel's login alphabet: lowercase ASCII letters and digits. */
export function toLoginAlphabet(text: string): string {
  return text
    .toLowerCase()
    .replace(/[łßæœøđðþı]/g, (ch) => SPECIAL_LETTERS[ch] ?? '')
    .normalize('NFD')
    .replace(/[^a-z0-9]/g, '')
}

/** The login a customer would get from its e-mail: the local part in the login alphabet. */
export function deriveLoginBase(email: string): string {
  const trimmed = email.trim()
  const at = trimmed.lastIndexOf('@')
  const local = at >= 0 ? trimmed.slice(0, at) : trimmed
  const base = toLoginAlphabet(local).slice(0, PANEL_FIELD_LIMITS.login - SUFFIX_ROOM)
  return base || FALLBACK_BASE
}

/** `base`, `base2`, `base3`…; the base is shortened when base + counter would exceed the limit. */
function candidate(base: string, n: number): string {
  if (n === 1) return base.slice(0, PANEL_FIELD_LIMITS.login)
  const suffix = String(n)
  return base.slice(0, PANEL_FIELD_LIMITS.login - suffix.length) + suffix
}

/**
 * The first free login of `base`, `base2`, `base3`…. Candidates are asked in batches so a common
 * name (jan, anna) costs one lookup per batch, not one per number. `isTaken` answers which of the
 * candidates the panel (and, if the caller wraps it, the current batch) already uses.
 */
export async function allocateLogin(
  base: string,
  isTaken: (candidates: string[]) => Promise<Set<string>>,
  opts: { batchSize?: number } = {},
): Promise<string> {
  const start = isValidLogin(base) ? base : deriveLoginBase(base)
  const batchSize = Math.max(1, opts.batchSize ?? 20)
  for (let first = 1; first <= MAX_SUFFIX; first += batchSize) {
    const batch: string[] = []
    for (let n = first; n < first + batchSize && n <= MAX_SUFFIX; n++) batch.push(candidate(start, n))
    const taken = await isTaken(batch)
    const free = batch.find((c) => !taken.has(c))
    if (free !== undefined) return free
  }
  throw new Error(`no free login for base "${start}"`)
}
