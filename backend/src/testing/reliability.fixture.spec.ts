/**
 * Run only by reliability.test.ts, in a child vitest with RELIABILITY_FIXTURE=1: a case that
 * passes, one that fails after measuring a loss (and one more counted at its end), two that share
 * their inputs. A .spec file, so no
 * project of the suite picks it up.
 */
import { describe, expect, it } from 'vitest'
import { reliabilityCase } from './reliability.ts'

describe.runIf(process.env.RELIABILITY_FIXTURE === '1')('reliability recorder fixture', () => {
  it('passes', () => {
    const rc = reliabilityCase('xml', 'fixture: the shared files, one verifier', { inputKey: 'fixture-files' })
    rc.tried(10)
    rc.rejected(10)
  })

  it('uses the same inputs', () => {
    const rc = reliabilityCase('xml', 'fixture: the shared files, another verifier', { inputKey: 'fixture-files' })
    rc.tried(10)
    rc.rejected(9)
  })

  it('fails after measuring', () => {
    const rc = reliabilityCase('concurrency', 'fixture: two clicks lose customers')
    rc.tried(2)
    rc.measure({ customersLost: 3, customersDuplicated: 0 })
    // counted when the test ends, though the assertion below throws first
    rc.atEnd(async () => ({ mailsSentTwice: 1 }))
    expect(3, 'customers lost').toBe(0)
  })
})
