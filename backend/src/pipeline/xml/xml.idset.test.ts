import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { SourceIdSet } from './xml.idset.ts'

describe('SourceIdSet', () => {
  it('answers exactly like a Set<string> (random ids, repeats, Unicode, empty and long ids)', () => {
    const id = fc.oneof(fc.string({ maxLength: 3 }), fc.string({ unit: 'grapheme', maxLength: 40 }), fc.nat(5_000).map(String), fc.string({ minLength: 200, maxLength: 300 }))
    fc.assert(
      fc.property(fc.array(id, { maxLength: 3_000 }), (ids) => {
        const set = new SourceIdSet()
        const plain = new Set<string>()
        for (const x of ids) {
          expect(set.seen(x)).toBe(plain.has(x))
          plain.add(x)
        }
        expect(set.size).toBe(plain.size)
      }),
      { numRuns: 60 },
    )
  })

  it('keeps a million ids and finds each again', () => {
    const set = new SourceIdSet()
    const id = (i: number) => `gid://shopify/Customer/${7_000_000_000 + i}`
    let wrong = 0
    for (let i = 0; i < 1_000_000; i++) if (set.seen(id(i))) wrong++
    for (let i = 0; i < 1_000_000; i += 7) if (!set.seen(id(i))) wrong++
    expect(wrong).toBe(0)
    expect(set.seen(id(1_000_000))).toBe(false)
    expect(set.size).toBe(1_000_001)
    // ids that differ only in a byte far from the start, and ids that are prefixes of others
    expect(set.seen('gid://shopify/Customer/700000000')).toBe(false)
    expect(set.seen('gid://shopify/Customer/7000000000')).toBe(true)
  })
})
