/**
 * What an admin would check after a whole migration, shared by the SQLite and PostgreSQL
 * runs of the flow (each registers these tests on its own report).
 */
import { expect, it } from 'vitest'
import { shoperDemoProblemCount } from '../../backend/src/connectors/shoper/shoper.demo-data.ts'
import type { FlowReport } from './migration-flow.ts'

export function expectAFullMigration(run: () => { report: FlowReport; customers: number; mailRecipients: () => string[] }): void {
  it('a wrong password is refused with the reason', () => {
    const { report } = run()
    expect(report.wrongPassword.code).toBe('SOURCE_AUTH_FAILED')
    expect(report.wrongPassword.message).toMatch(/login lub hasło/)
  })

  it('fetches every source record; guests are left out and counted', () => {
    const { report, customers } = run()
    const guests = shoperDemoProblemCount(customers, 'guest')
    expect(report.check.customerCount).toBe(customers)
    expect(report.fetched).toBe(customers)
    expect(report.total).toBe(customers)
    expect(report.leftOut.guest).toBe(guests)
    expect(report.written).toBe(customers - guests)
    expect(report.buffered).toBe(customers - guests)
  })

  it('imports the good ones and says per customer why the others failed', () => {
    const { report } = run()
    expect(report.imported + report.failed).toBe(report.buffered)
    expect(report.imported).toBeGreaterThan(report.buffered * 0.6)
    expect(report.failedByCode.POSTCODE_INVALID).toBeGreaterThan(0)
    expect(report.failedByCode.EMAIL_TAKEN).toBeGreaterThan(0)
    expect(report.failedByCode.EMAIL_DUPLICATE_IN_FILE).toBeGreaterThan(0)
  })

  it('importing again creates no duplicate panel customer', () => {
    expect(run().report.secondImportCreated).toBe(0)
  })

  it('each imported customer got exactly one mail, and the flag says so', () => {
    const { report, mailRecipients } = run()
    expect(report.notified).toBe(report.imported)
    expect(report.mailsSent).toBe(report.imported)
    // by recipient address: one mail per imported customer, none twice
    const recipients = mailRecipients()
    expect(recipients).toHaveLength(report.imported)
    expect(new Set(recipients).size).toBe(recipients.length)
  })
}
