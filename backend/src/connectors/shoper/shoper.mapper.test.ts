/** Data-driven: every folder under fixtures/ is one case (user, addresses, subscribers → expected). */
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { CanonicalCustomer } from '@cm/contracts'
import { buildShoperLookups, localeToLanguage, mapShoperUser, shoperDateToIso } from './shoper.mapper.ts'
import { ShoperAddress, ShoperLanguage, ShoperSubscriber, ShoperUser, ShoperUserGroup } from './shoper.types.ts'

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures')
const read = (...p: string[]): unknown => JSON.parse(readFileSync(path.join(dir, ...p), 'utf8'))
const readList = (...p: string[]): unknown[] => read(...p) as unknown[]

const lookups = buildShoperLookups(
  readList('languages.json').map((l) => ShoperLanguage.parse(l)),
  readList('user-groups.json').map((g) => ShoperUserGroup.parse(g)),
)
const cases = readdirSync(dir, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort()

describe('shoper mapper fixtures', () => {
  it('has the cases', () => expect(cases.length).toBeGreaterThanOrEqual(10))

  it.each(cases)('%s', (name) => {
    const user = ShoperUser.parse(read(name, 'user.json'))
    const addresses = readList(name, 'addresses.json').map((a) => ShoperAddress.parse(a))
    const subscribers = readList(name, 'subscribers.json').map((s) => ShoperSubscriber.parse(s))
    const expected = read(name, 'expected.json') as { customer?: unknown; leftOut?: string }

    const result = mapShoperUser(user, addresses, subscribers, lookups)

    if (expected.leftOut) {
      expect(result).toEqual({ kind: 'left_out', reason: expected.leftOut })
      return
    }
    expect(result.kind).toBe('customer')
    if (result.kind !== 'customer') return
    expect(result.customer).toEqual(expected.customer)
    expect(() => CanonicalCustomer.parse(result.customer)).not.toThrow()
  })
})

describe('shoper mapper helpers', () => {
  it('keeps the local time of dates and drops the zero date', () => {
    expect(shoperDateToIso('2026-06-28 21:59:15')).toBe('2026-06-28T21:59:15')
    expect(shoperDateToIso('2026-06-28')).toBe('2026-06-28T00:00:00')
    expect(shoperDateToIso('0000-00-00 00:00:00')).toBe('')
    expect(shoperDateToIso(null)).toBe('')
    expect(shoperDateToIso('wczoraj')).toBe('')
  })

  it('turns locales into ISO 639-1', () => {
    expect(localeToLanguage('pl_PL')).toBe('pl')
    expect(localeToLanguage('en-US')).toBe('en')
    expect(localeToLanguage(undefined)).toBe('')
    expect(localeToLanguage('???')).toBe('')
  })
})
