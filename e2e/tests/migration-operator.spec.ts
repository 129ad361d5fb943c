/**
 * Who may do what (mission "Who uses it", step 9): the operator (operator/operator) imports
 * customers — queues an import from the demo shop, sees it reach Oczekuje na weryfikację and
 * loads it into the buffer — but the template Mail po zaimportowaniu klientów przez support is
 * read-only for them, with the reason, and the API refuses the change (403). The administrator
 * changes the same template: the new subject is saved and is there after a reload.
 */
import type { Locator, Page } from '@playwright/test'
import { E2E, LABELS, expect, expectStepScreenshots, loginViaPage, moduleRoot, openMigrationMode, test } from './support.ts'
import { FETCH_TIMEOUT, importRow, panelShops, queueImportFromDemoShop, statusText, type Shop } from './migration-steps.ts'

const FORBIDDEN = 'Zmiana tego szablonu wymaga uprawnień administratora.'

test.use({ actionTimeout: 20_000 })

test.afterAll(async ({}, testInfo) => {
  expect(expectStepScreenshots(testInfo).length).toBeGreaterThan(0)
})

/** Administracja / Konfiguracja wiadomości transakcyjnych → the shop → the module's template screen. */
async function openTemplate(page: Page, shop: Shop): Promise<Locator> {
  await page.goto(E2E.paths.templates)
  await expect(page.getByRole('heading', { level: 1, name: LABELS.pl.templatesTitle })).toBeVisible()
  await page.getByRole('link', { name: shop.name, exact: true }).click()
  await expect(page).toHaveURL(new RegExp(`[?&]shop=${shop.id}\\b`))
  return templateScreen(page, shop)
}

async function templateScreen(page: Page, shop: Shop): Promise<Locator> {
  await expect(page.getByText(`Administracja / Konfiguracja wiadomości transakcyjnych / ${shop.name} / Klienci / Zarządzanie kontem`)).toBeVisible()
  const root = moduleRoot(page)
  await expect(root.getByRole('heading', { name: new RegExp(LABELS.pl.templateName) })).toBeVisible({ timeout: 20_000 })
  await expect(root.getByRole('textbox', { name: 'Temat', exact: true })).not.toHaveValue('')
  return root
}

function templateUrl(shopId: string): string {
  return `${E2E.apiBase}/templates/${shopId}/customer-imported`
}

test('operator: zleca import klientów ze sklepu Shoper i wczytuje go do bufora', async ({ page, shots }) => {
  test.setTimeout(120_000)
  let root!: Locator
  let importId = ''

  await shots.step('Operator: KLIENCI / Eksport i import klientów → Migracja klientów z innego sklepu', async () => {
    await loginViaPage(page, E2E.operator)
    root = await openMigrationMode(page)
  })

  await shots.step('Operator: Shoper, Sprawdź połączenie, sklep docelowy, Zapisz i zleć import', async () => {
    const [first] = await panelShops(page)
    importId = await queueImportFromDemoShop(page, root, [first!.name])
    await expect(statusText(importRow(root, importId), 'awaiting_xml')).toBeVisible()
  })
  const row = importRow(root, importId)

  await shots.step('Operator: Oczekuje na weryfikację', async () => {
    await expect(statusText(row, 'awaiting_verification')).toBeVisible({ timeout: FETCH_TIMEOUT })
  })

  await shots.step('Operator: Sprawdź i zaimportuj → W buforze', async () => {
    await row.getByRole('button', { name: 'Sprawdź i zaimportuj' }).click()
    await expect(statusText(row, 'buffered')).toBeVisible({ timeout: 30_000 })
    await row.getByRole('link', { name: 'Klienci niezaimportowani' }).click()
    await expect(root.getByRole('heading', { name: 'Klienci niezaimportowani' })).toBeVisible()
    await expect(root.getByRole('table', { name: 'Klienci niezaimportowani' }).getByRole('columnheader').last()).toHaveText('Błędy')
  })
})

test('operator: szablon Mail po zaimportowaniu klientów przez support tylko do odczytu; API odmawia (403)', async ({ page, shots }) => {
  await loginViaPage(page, E2E.operator)
  const [shop] = await panelShops(page)

  await shots.step('Operator: szablon tylko do odczytu, zmiana wymaga uprawnień administratora', async () => {
    const root = await openTemplate(page, shop!)
    await expect(root.getByRole('alert')).toHaveText(FORBIDDEN)
    await expect(root.getByRole('textbox', { name: 'Temat', exact: true })).not.toBeEditable()
    await expect(root.getByRole('textbox', { name: 'Treść', exact: true })).not.toBeEditable()
    await expect(root.getByRole('button', { name: 'Zapisz', exact: true })).toBeDisabled()
    await expect(root.getByRole('button', { name: 'Przywróć treść domyślną' })).toBeDisabled()
  })

  await shots.step('Operator: PUT /templates/:shopId/customer-imported → 403', async () => {
    const current = await (await page.request.get(templateUrl(shop!.id))).json()
    expect(current).toMatchObject({ editable: false })
    const res = await page.request.put(templateUrl(shop!.id), { data: { subject: `${current.subject} (operator)`, body: current.body } })
    expect(res.status()).toBe(403)
    expect(await res.json()).toMatchObject({ error: { code: expect.any(String), message: expect.any(String) } })
    // nothing changed
    expect(await (await page.request.get(templateUrl(shop!.id))).json()).toMatchObject({ subject: current.subject, body: current.body })
  })
})

test('administrator: zmienia temat szablonu, Zapisz, po przeładowaniu strony temat zostaje', async ({ page, shots }) => {
  await loginViaPage(page, E2E.admin)
  const [shop] = await panelShops(page)
  let root!: Locator
  let original = ''
  const changed = () => `${original} — zmiana E2E`

  await shots.step('Administrator: szablon można zmieniać', async () => {
    root = await openTemplate(page, shop!)
    await expect(root.getByRole('alert').filter({ hasText: FORBIDDEN })).toHaveCount(0)
    const subject = root.getByRole('textbox', { name: 'Temat', exact: true })
    await expect(subject).toBeEditable()
    original = await subject.inputValue()
  })

  await shots.step('Administrator: nowy temat, Zapisz', async () => {
    const subject = root.getByRole('textbox', { name: 'Temat', exact: true })
    await subject.fill(changed())
    await expect(root.getByText('Masz niezapisane zmiany.')).toBeVisible()
    await expect(root.getByRole('complementary', { name: 'Podgląd z przykładowymi danymi' })).toContainText('zmiana E2E')
    await root.getByRole('button', { name: 'Zapisz', exact: true }).click()
    await expect(root.getByRole('status').filter({ hasText: 'Zapisano szablon.' })).toBeVisible()
  })

  await shots.step('Administrator: po przeładowaniu strony temat jest zapisany', async () => {
    await page.reload()
    root = await templateScreen(page, shop!)
    await expect(root.getByRole('textbox', { name: 'Temat', exact: true })).toHaveValue(changed())
    expect(await (await page.request.get(templateUrl(shop!.id))).json()).toMatchObject({ subject: changed() })
  })

  await shots.step('Administrator: przywrócony poprzedni temat', async () => {
    const subject = root.getByRole('textbox', { name: 'Temat', exact: true })
    await subject.fill(original)
    await root.getByRole('button', { name: 'Zapisz', exact: true }).click()
    await expect(root.getByRole('status').filter({ hasText: 'Zapisano szablon.' })).toBeVisible()
    expect(await (await page.request.get(templateUrl(shop!.id))).json()).toMatchObject({ subject: original })
  })
})
