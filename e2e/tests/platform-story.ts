/**
 * One platform's migration, steps 2–9, in the admin's language: the platform, its own credential
 * form (a wrong key first: the reason in the platform's terms), the shops, the fetch, Sprawdź i
 * zaimportuj, Klienci niezaimportowani, import of everyone who matches, Klienci zaimportowani and
 * the notification to all. Labels come from the product's own texts (Polish ones are the spec's).
 * Returns the counts the admin saw at each step, measured in the UI and checked against the API.
 */
import type { Locator, Page } from '@playwright/test'
import { CUSTOMER_ERROR_CODES, IMPORT_STATUS_LABELS, PLATFORMS, connectionErrorText, type ConnectionErrorCode, type Locale, type PlatformId } from '@cm/contracts'
import { bufferMessages } from '../../frontend/src/i18n/buffer.messages.ts'
import { flowMessages } from '../../frontend/src/i18n/flow.messages.ts'
import { wizardMessages } from '../../frontend/src/i18n/wizard.messages.ts'
import { E2E, expect, openMigrationMode } from './support.ts'
import { FETCH_TIMEOUT, importCreated, outbox, panelCustomerCount, panelShops, shopCheckbox } from './migration-steps.ts'

export interface PlatformSource {
  platform: PlatformId
  /** credential field name → value (domain included) */
  credentials: Record<string, string>
  /** fields to spoil (other values) and the reason the check must then give */
  wrong: { values: Record<string, string>; code: ConnectionErrorCode }
  customers: number
  /** the way in, for platforms with several (credentialModes id) */
  mode?: string
}

export interface StoryCounts {
  platform: PlatformId
  locale: Locale
  inShop: number
  fetched: number
  leftOut: Record<string, number>
  /** how often and how long the fetch waited on the source's rate limit or cost bucket */
  rateLimitWaits: number
  rateLimitWaitMs: number
  fetchSeconds: number
  buffered: number
  imported: number
  failedByCode: Record<string, number>
  notified: number
  mails: number
  panelGrewBy: number
}

type Shots = { snap(name: string): Promise<string>; step<T>(name: string, body: () => Promise<T>): Promise<T> }

const fill = (text: string, vars: Record<string, string | number>) => text.replace(/\{(\w+)\}/g, (_, k: string) => String(vars[k] ?? `{${k}}`))
const re = (s: string) => new RegExp(s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))

/** the words the story looks for, in one language */
function words(locale: Locale) {
  const f = { ...flowMessages[locale], ...wizardMessages[locale] }
  const b = bufferMessages[locale]
  return { f, b, status: (s: keyof typeof IMPORT_STATUS_LABELS) => IMPORT_STATUS_LABELS[s][locale] }
}

/** Steps 2–3 only: the form, its help texts and both check results in `locale`; nothing is queued. */
export async function connectionStep(page: Page, shots: Shots, source: PlatformSource, locale: Locale): Promise<void> {
  await platformStory(page, shots, source, locale, { connectionOnly: true })
}

export async function platformStory(page: Page, shots: Shots, source: PlatformSource, locale: Locale, opts: { connectionOnly?: boolean } = {}): Promise<StoryCounts> {
  const { f, b, status } = words(locale)
  const platform = PLATFORMS.find((p) => p.id === source.platform)!
  const api = (p: string) => `${E2E.apiBase}${p}`
  const customersBefore = await panelCustomerCount(page)
  const mailsBefore = (await outbox(page)).length
  const targetShops = (await panelShops(page)).slice(0, 2).map((s) => s.name)
  let root!: Locator
  let importId = ''

  await shots.step(`1. ${platform.name}: migracja / migration mode (${locale})`, async () => {
    root = await openMigrationMode(page, { locale })
  })

  await shots.step(`2. ${platform.name}: platform`, async () => {
    await root.getByRole('button', { name: f.imports.start }).first().click()
    await expect(root.getByRole('heading', { name: f.platform.title })).toBeVisible()
    const radio = root.getByRole('radio', { name: platform.name, exact: true })
    await radio.check()
    await root.getByRole('button', { name: f.platform.next }).click()
    await expect(root.getByRole('heading', { name: fill(f.connection.title, { platform: platform.name }) })).toBeVisible()
  })

  const field = (name: string) => root.getByLabel(platform.credentialFields.find((x) => x.name === name)!.label[locale], { exact: true })
  const ok = root.getByRole('status').filter({ hasText: f.connection.ok })
  const failed = root.getByRole('alert').filter({ hasText: f.connection.failed })
  const check = root.getByRole('button', { name: f.connection.check })
  const modes = platform.credentialModes ?? []
  const chosen = modes.find((m) => m.id === source.mode) ?? modes[0]
  const shown = platform.credentialFields.filter((fld) => !modes.some((m) => m.fields.includes(fld.name)) || chosen?.fields.includes(fld.name))
  await shots.step(`3a. ${platform.name}: ${source.wrong.code} in the platform's words`, async () => {
    if (chosen) {
      const radio = root.getByRole('radio', { name: chosen.label[locale] })
      await radio.check()
      await expect(radio).toBeChecked()
    }
    // every field of the way in has its label, and every key field its help text (where the key is made)
    for (const fld of shown) {
      await expect(field(fld.name)).toBeVisible()
      if (fld.help) await expect(field(fld.name)).toHaveAccessibleDescription(re(fld.help[locale]))
    }
    for (const [name, value] of Object.entries({ ...source.credentials, ...source.wrong.values })) await field(name).fill(value)
    await check.click()
    await expect(failed).toBeVisible({ timeout: 30_000 })
    await expect(failed).toContainText(connectionErrorText(source.platform, source.wrong.code)[locale])
    await expect(root.getByRole('button', { name: f.connection.next })).toBeDisabled()
  })
  await shots.step(`3b. ${platform.name}: ${f.connection.ok}`, async () => {
    for (const name of Object.keys(source.wrong.values)) await field(name).fill(source.credentials[name]!)
    await check.click()
    await expect(ok).toBeVisible({ timeout: 30_000 })
    await expect(ok).toContainText(String(source.customers))
    await expect(root.getByRole('button', { name: f.connection.next })).toBeEnabled()
  })
  const counts: StoryCounts = { platform: source.platform, locale, inShop: source.customers, fetched: 0, leftOut: {}, rateLimitWaits: 0, rateLimitWaitMs: 0, fetchSeconds: 0, buffered: 0, imported: 0, failedByCode: {}, notified: 0, mails: 0, panelGrewBy: 0 }
  if (opts.connectionOnly) return counts
  await root.getByRole('button', { name: f.connection.next }).click()

  await shots.step(`4. ${platform.name}: ${f.shops.submit}`, async () => {
    await expect(root.getByRole('heading', { name: f.shops.title })).toBeVisible()
    for (const name of targetShops) await shopCheckbox(root, name).check()
    const created = importCreated(page)
    await root.getByRole('button', { name: f.shops.submit }).click()
    const res = await created
    expect(res.status()).toBe(201)
    importId = ((await res.json()) as { id: string }).id
  })
  // the import list's caption is in the admin's language: the row is found by its id alone
  const row = root.locator(`tr[data-import-id="${importId}"]`)

  await shots.step(`5. ${platform.name}: ${status('awaiting_verification')}`, async () => {
    await expect(row).toBeVisible()
    await row.getByRole('link', { name: f.imports.details }).click()
    await expect(root.getByRole('heading', { name: f.details.title })).toBeVisible()
    await expect(root.getByText(status('awaiting_verification'), { exact: true })).toBeVisible({ timeout: FETCH_TIMEOUT })
    type Generation = { leftOut: Record<string, number>; rateLimitWaits: number; rateLimitWaitMs: number; startedAt: string | null; finishedAt: string | null }
    const d = (await (await page.request.get(api(`/imports/${importId}`))).json()) as { file: { customers: number }; generation: Generation }
    counts.fetched = d.file.customers
    counts.leftOut = d.generation.leftOut
    counts.rateLimitWaits = d.generation.rateLimitWaits
    counts.rateLimitWaitMs = d.generation.rateLimitWaitMs
    if (d.generation.startedAt && d.generation.finishedAt) counts.fetchSeconds = (Date.parse(d.generation.finishedAt) - Date.parse(d.generation.startedAt)) / 1000
    // what was left out is listed with its reason
    for (const n of Object.values(counts.leftOut)) await expect(root.getByTestId('left-out')).toContainText(String(n))
    await shots.snap(`5. ${platform.name}: ${f.details.title}`)
    await root.getByRole('button', { name: f.details.back }).click()
  })

  await shots.step(`6. ${platform.name}: ${f.imports.verify}`, async () => {
    await row.getByRole('button', { name: f.imports.verify }).click()
    await expect(row.getByText(status('buffered'), { exact: true })).toBeVisible({ timeout: 30_000 })
  })

  const countsLine = root.getByText(re(b.buffer.counts.split('{pending}')[0]!))
  const readCounts = async () => {
    const [pending = NaN, failedN = NaN, skipped = NaN, imported = NaN] = ((await countsLine.textContent()) ?? '').replace(/[  ]/g, '').match(/\d+/g)!.map(Number)
    return { pending, failed: failedN, skipped, imported }
  }
  await shots.step(`7. ${platform.name}: ${b.buffer.title}`, async () => {
    await row.getByRole('link', { name: f.imports.buffer }).click()
    await expect(root.getByRole('heading', { name: b.buffer.title })).toBeVisible()
    await expect(countsLine).toBeVisible()
    counts.buffered = (await readCounts()).pending
    expect(counts.buffered).toBe(counts.fetched)
  })

  await shots.step(`8. ${platform.name}: ${b.buffer.importButton}`, async () => {
    await root.getByRole('checkbox', { name: b.buffer.selectPage }).check()
    await root.getByRole('button', { name: fill(b.buffer.selectAllMatching, { n: counts.buffered }) }).click()
    await root.getByRole('button', { name: re(b.buffer.importButton) }).click()
    const confirm = page.getByRole('dialog', { name: b.importConfirm.title })
    if (await confirm.isVisible().catch(() => false)) await confirm.getByRole('button', { name: b.importConfirm.confirm, exact: true }).click()
    await expect(countsLine).toHaveText(re(b.buffer.counts.split('{pending}')[0]! + '0'), { timeout: 60_000 })
    const c = await readCounts()
    counts.imported = c.imported
    expect(c.imported + c.failed).toBe(counts.buffered)
    for (const code of CUSTOMER_ERROR_CODES) {
      const r = (await (await page.request.get(api(`/imports/${importId}/buffer?state=failed&errorCode=${code}&limit=1`))).json()) as { total: number }
      if (r.total > 0) counts.failedByCode[code] = r.total
    }
  })

  await shots.step(`9. ${platform.name}: ${b.importedList.notifyAll}`, async () => {
    await root.getByRole('button', { name: re(b.buffer.toImported) }).click()
    await expect(root.getByRole('heading', { name: b.importedList.title })).toBeVisible()
    await root.getByRole('button', { name: re(b.importedList.notifyAll) }).click()
    await expect(root.getByText(b.importedList.nothingToNotify).or(root.getByRole('status').filter({ hasText: re(b.importedList.queuedHint) })).first()).toBeVisible({ timeout: 30_000 })
    await expect
      .poll(async () => ((await (await page.request.get(api(`/imports/${importId}`))).json()) as { counts: { notified: number } }).counts.notified, { timeout: 60_000 })
      .toBe(counts.imported)
    counts.notified = counts.imported
    const imported = root.getByRole('table', { name: b.importedList.title })
    await expect(imported.getByRole('row').filter({ hasText: re(`${b.importedList.yes} ·`) }).first()).toBeVisible({ timeout: 30_000 })
  })

  // what the host saw: its customer base grew by exactly the imported, one mail each
  counts.panelGrewBy = (await panelCustomerCount(page)) - customersBefore
  expect(counts.panelGrewBy).toBe(counts.imported)
  await expect.poll(async () => (await outbox(page)).length - mailsBefore, { timeout: 30_000 }).toBe(counts.notified)
  counts.mails = (await outbox(page)).length - mailsBefore
  return counts
}
