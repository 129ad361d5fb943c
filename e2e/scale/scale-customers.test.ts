import { describe, expect, it } from 'vitest'
import { CanonicalCustomer } from '@cm/contracts'
import { prepareForPanel, validateCustomer } from '@cm/contracts/rules'
import { plannedLogin } from '../../backend/src/pipeline/buffer/buffer.rows.ts'
import { errorCodesOf, scaleRow } from './scale-customers.ts'

const SHOPS = ['1', '2']
const rulesSay = (c: CanonicalCustomer) =>
  validateCustomer(prepareForPanel(c, { shopIds: SHOPS, login: plannedLogin(c), externalRef: `cm:1:${c.sourceId}` }), { knownShopIds: new Set(SHOPS), locale: 'pl' })
/** the codes only the database decides (the rules cannot see a clash) */
const CLASHES = new Set(['EMAIL_TAKEN', 'LOGIN_TAKEN'])

describe('scaleRow', () => {
  const rows = Array.from({ length: 3_000 }, (_, i) => scaleRow(i, 1, SHOPS))

  it('draws the same row for the same position, a valid customer with its id', () => {
    expect(scaleRow(1234, 1, SHOPS)).toEqual(rows[1234])
    for (const r of rows.slice(0, 200)) expect(CanonicalCustomer.safeParse(r.customer).success).toBe(true)
    expect(rows[41]!.customer.sourceId).toBe('42')
    expect(scaleRow(41, 1, SHOPS, 'x9').customer.email).toContain('x9@')
  })

  it('fails about 8% and skips about 2%, the rest waiting', () => {
    const by = (s: string) => rows.filter((r) => r.state === s).length / rows.length
    expect(by('failed')).toBeGreaterThan(0.05)
    expect(by('failed')).toBeLessThan(0.11)
    expect(by('skipped')).toBeGreaterThan(0.008)
    expect(by('skipped')).toBeLessThan(0.035)
  })

  it('gives each row the errors the product’s rules give its data (plus the database’s clashes), and none to a waiting one', () => {
    for (const r of rows) {
      const said = rulesSay(r.customer).map((e) => e.code)
      const given = (r.errors ?? []).map((e) => e.code).filter((c) => !CLASHES.has(c))
      expect({ id: r.customer.sourceId, codes: given }).toEqual({ id: r.customer.sourceId, codes: said })
      if (r.state === 'failed') expect(r.errors!.length).toBeGreaterThan(0)
    }
    const codes = new Set(rows.flatMap((r) => (r.errors ?? []).map((e) => e.code)))
    expect(codes.size).toBeGreaterThanOrEqual(8)
  })

  it('writes error_codes as the import does', () => {
    expect(errorCodesOf(null)).toBe('')
    expect(errorCodesOf([{ code: 'PHONE_INVALID', message: 'x' }, { code: 'POSTCODE_INVALID', message: 'y' }])).toBe(' PHONE_INVALID POSTCODE_INVALID ')
  })
})
