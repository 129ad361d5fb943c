/**
 * When things go wrong, the admin sees why and nothing half-done stays behind:
 * (a) usuń źródło while the fetch runs stops it for good — Źródło usunięte, the credentials
 *     forgotten, no file; (b) a connection to an address where nothing listens is
 *     Połączenie niepoprawne with its reason; (c) an uploaded broken XML file is rejected by
 *     Sprawdź i zaimportuj with the line and column of the fault, and the buffer stays empty.
 * The mock host runs one fetch per source shop at a time: (a) deletes its source, so the next
 * spec's fetch is free to start.
 */
import fs from 'node:fs'
import { fileURLToPath } from 'node:url'
import { E2E, EXTERNAL_HOST, expect, expectStepScreenshots, loginViaPage, openMigrationMode, test } from './support.ts'
import {
  DEMO_SOURCE,
  checkConnection,
  choosePlatform,
  importCreated,
  importRow,
  panelShops,
  queueImportFromDemoShop,
  shopCheckbox,
  statusText,
  tone,
} from './migration-steps.ts'

test.use({ actionTimeout: 20_000 })

test.afterAll(async ({}, testInfo) => {
  expect(expectStepScreenshots(testInfo).length).toBeGreaterThan(0)
})

test('usuń źródło w trakcie pobierania: Źródło usunięte, dane dostępowe i plik usunięte', async ({ page, shots }) => {
  test.setTimeout(90_000)
  await loginViaPage(page, E2E.admin)
  const root = await openMigrationMode(page)
  const [first] = await panelShops(page)
  let importId = ''

  await shots.step('Zlecony import: Oczekuje na wygenerowanie pliku XML', async () => {
    importId = await queueImportFromDemoShop(page, root, [first!.name])
    const row = importRow(root, importId)
    await expect(statusText(row, 'awaiting_xml')).toBeVisible()
    await expect(row.getByRole('progressbar', { name: 'Postęp pobierania klientów' })).toBeVisible()
  })
  const row = importRow(root, importId)

  await shots.step('usuń źródło w trakcie pobierania: okno potwierdzenia', async () => {
    // the fetch is under way (the first customers are in) and far from done: the demo shop takes seconds
    const bar = row.getByRole('progressbar', { name: 'Postęp pobierania klientów' })
    await expect(bar).toHaveAttribute('aria-valuenow', /^[1-9]\d*$/, { timeout: 20_000 })
    await expect(statusText(row, 'awaiting_xml')).toBeVisible()
    await row.getByRole('link', { name: 'usuń źródło', exact: true }).click()
    const dialog = page.getByRole('dialog', { name: 'Usunąć źródło?' })
    await expect(dialog).toContainText(`Pobieranie klientów ze sklepu ${DEMO_SOURCE.domain} zostanie zatrzymane na stałe.`)
    await expect(dialog).toContainText('Tej operacji nie można cofnąć.')
    await shots.snap('okno Usunąć źródło?')
    await dialog.getByRole('button', { name: 'Usuń źródło', exact: true }).click()
    await expect(dialog).toBeHidden()
  })

  await shots.step('Źródło usunięte: pobieranie zatrzymane, dane dostępowe i plik usunięte', async () => {
    await expect(statusText(row, 'source_deleted')).toBeVisible()
    await expect(row.getByRole('progressbar')).toHaveCount(0)
    await expect(row.getByRole('link', { name: 'usuń źródło', exact: true })).toHaveCount(0)
    await expect(row.getByRole('button', { name: 'Sprawdź i zaimportuj' })).toHaveCount(0)
    const res = await page.request.get(`${E2E.apiBase}/imports/${importId}`)
    expect(res.ok()).toBeTruthy()
    const details = await res.json()
    expect(details).toMatchObject({ status: 'source_deleted', hasCredentials: false, file: { available: false } })
    // stopped part-way: not every customer was fetched
    expect(details.progress.fetched).toBeGreaterThan(0)
    expect(details.progress.fetched).toBeLessThan(details.progress.total)
    expect(JSON.stringify(details)).not.toMatch(/"password"/)
    // and it stays stopped: the status does not move on when the fetch would have ended
    await row.getByRole('link', { name: 'szczegóły i status generowania' }).click()
    await expect(root.getByRole('heading', { name: 'Szczegóły i status generowania' })).toBeVisible()
    await expect(statusText(root, 'source_deleted')).toBeVisible()
    await expect(root.getByText('Plik nie jest dostępny: powstaje w trakcie pobierania i jest usuwany razem ze źródłem.')).toBeVisible()
    const file = await page.request.get(`${E2E.apiBase}/imports/${importId}/file`)
    expect(file.ok()).toBeFalsy()
  })
})

test('połączenie z adresem, pod którym nic nie nasłuchuje: Połączenie niepoprawne z przyczyną', async ({ page, shots }) => {
  await loginViaPage(page, E2E.admin)
  const root = await openMigrationMode(page)

  await shots.step('Sprawdź połączenie z http://127.0.0.1:9: Połączenie niepoprawne', async () => {
    await choosePlatform(root, 'Shoper')
    const form = await checkConnection(root, { ...DEMO_SOURCE, domain: 'http://127.0.0.1:9' })
    await expect(form.failed).toBeVisible()
    expect(await tone(form.failed)).toBe('red')
    if (!EXTERNAL_HOST) {
      await expect(form.failed).toContainText('Nie udało się połączyć z podanym adresem. Sprawdź domenę sklepu.')
    } else {
      // another host may refuse private addresses outright: a reason is said either way
      await expect(form.failed).toHaveText(/Połączenie niepoprawne\s*\S+/)
    }
    await expect(form.next).toBeDisabled()
  })
})

test('wgrany uszkodzony plik XML: Sprawdź i zaimportuj odrzuca go, podając wiersz i kolumnę', async ({ page, shots }) => {
  // the documented example (contracts/xml/example.xml) with one closing tag wrong
  const example = fs.readFileSync(fileURLToPath(new URL('../../contracts/xml/example.xml', import.meta.url)), 'utf8')
  const lines = example.split('\n')
  const at = lines.findIndex((l) => l.includes('<firstName>') && l.includes('</firstName>'))
  expect(at).toBeGreaterThan(0)
  lines[at] = lines[at]!.replace('</firstName>', '</lastName>')
  const broken = lines.join('\n')
  const faultLine = at + 1
  const faultColumn = lines[at]!.indexOf('</lastName>') + '</lastName>'.length

  await loginViaPage(page, E2E.admin)
  const root = await openMigrationMode(page)
  const [first] = await panelShops(page)
  let importId = ''

  await shots.step('Wgraj własny plik XML: uszkodzony plik', async () => {
    await root.getByRole('button', { name: 'Wgraj własny plik XML' }).click()
    const dialog = page.getByRole('dialog', { name: 'Wgraj plik XML' })
    await dialog.getByLabel('Plik XML', { exact: true }).setInputFiles({ name: 'uszkodzony.xml', mimeType: 'application/xml', buffer: Buffer.from(broken, 'utf8') })
    await shopCheckbox(dialog, first!.name).check()
    await shots.snap('okno Wgraj plik XML')
    const created = importCreated(page, true)
    await dialog.getByRole('button', { name: 'Wgraj plik', exact: true }).click()
    const res = await created
    expect(res.status()).toBe(201)
    importId = ((await res.json()) as { id: string }).id
    await expect(dialog).toBeHidden()
    const row = importRow(root, importId)
    await expect(row.getByRole('rowheader')).toContainText('Plik XML')
    await expect(row.getByRole('rowheader')).toContainText('uszkodzony.xml')
    await expect(statusText(row, 'awaiting_verification')).toBeVisible()
  })
  const row = importRow(root, importId)

  await shots.step('Sprawdź i zaimportuj: Błąd weryfikacji pliku', async () => {
    await row.getByRole('button', { name: 'Sprawdź i zaimportuj' }).click()
    await expect(statusText(row, 'verification_failed')).toBeVisible({ timeout: 30_000 })
    await expect(row.getByText('Plik został odrzucony. Przyczyny znajdziesz w szczegółach.')).toBeVisible()
    await expect(row.getByRole('link', { name: 'Klienci niezaimportowani' })).toHaveCount(0)
  })

  await shots.step('szczegóły i status generowania: wiersz i kolumna błędu', async () => {
    await row.getByRole('link', { name: 'szczegóły i status generowania' }).click()
    await expect(root.getByRole('heading', { name: 'Szczegóły i status generowania' })).toBeVisible()
    await expect(root.getByText('Plik został odrzucony — żaden klient z niego nie trafił do bufora.')).toBeVisible()
    const issues = root.getByRole('table', { name: 'Błędy weryfikacji' })
    await expect(issues.getByRole('columnheader')).toHaveText(['Wiersz', 'Kolumna', 'Problem'])
    const fault = issues.getByRole('row').filter({ hasText: 'XML_MALFORMED' })
    await expect(fault).toHaveCount(1)
    await expect(fault.getByRole('cell').nth(0)).toHaveText(String(faultLine))
    await expect(fault.getByRole('cell').nth(1)).toHaveText(String(faultColumn))
    await expect(fault.getByRole('cell').nth(2)).toContainText('Plik nie jest poprawnym dokumentem XML (np. niezamknięty znacznik).')
    // nothing half-loaded stays: the buffer is empty
    const buffer = await (await page.request.get(`${E2E.apiBase}/imports/${importId}/buffer`)).json()
    expect(buffer).toMatchObject({ total: 0, items: [] })
  })
})
