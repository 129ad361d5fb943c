/**
 * The host's pages around the module: the login page (keyboard only), KLIENCI / Eksport i
 * import klientów with its modes (the module's mode mounts the federated remote), the
 * transactional templates page (the remote on its template screen for one shop), the outbox.
 * The module's screens are asserted only by their headings here; the story specs go further.
 */
import { E2E, EXTERNAL_HOST, LABELS, expect, loginViaApi, loginViaPage, moduleRoot, openMigrationMode, test } from './support.ts'

test('the login page works with the keyboard and returns to the page asked for', async ({ page, shots }) => {
  await shots.step('a protected page sends to the login page', async () => {
    await page.goto(E2E.paths.panel)
    await expect(page).toHaveURL(/\/login\?next=/)
    await expect(page.getByLabel('Login', { exact: true })).toBeFocused()
  })
  await shots.step('a wrong password is refused', async () => {
    await page.keyboard.type(E2E.admin.login)
    await page.keyboard.press('Tab')
    await page.keyboard.type('not-the-password')
    await page.keyboard.press('Enter')
    await expect(page.getByRole('alert')).toHaveText('Nieprawidłowy login lub hasło.')
  })
  await shots.step('login, Tab, password, Enter', async () => {
    await loginViaPage(page, E2E.admin, E2E.paths.panel)
    await expect(page).toHaveURL(new RegExp(`${E2E.paths.panel}$`))
    await expect(page.getByRole('heading', { level: 1, name: LABELS.pl.panelTitle })).toBeVisible()
  })
})

test('KLIENCI / Eksport i import klientów lists the modes; the migration mode mounts the module', async ({ page, shots }) => {
  await loginViaPage(page)
  await shots.step('the list of modes', async () => {
    await page.goto(E2E.paths.panel)
    const modes = page.getByRole('navigation', { name: 'Tryby' }).getByRole('link')
    await expect(modes).toContainText(['Eksport klientów do pliku', 'Import klientów z pliku', LABELS.pl.moduleName])
    await expect(moduleRoot(page)).toHaveCount(0)
  })
  await shots.step('Migracja klientów z innego sklepu mounts the remote', async () => {
    const root = await openMigrationMode(page)
    await expect(page).toHaveURL(/[?&]mode=migration\b/)
    if (!EXTERNAL_HOST) await expect(root).toHaveAttribute('data-state', 'mounted')
  })
})

test('the language switch mounts the module in English', async ({ page, shots }) => {
  test.skip(EXTERNAL_HOST, "the PL/EN switch is the mock host's")
  await loginViaApi(page)
  await shots.step('EN', async () => {
    await openMigrationMode(page)
    await page.getByRole('link', { name: 'EN', exact: true }).click()
    await expect(page.locator('html')).toHaveAttribute('lang', 'en')
    await expect(moduleRoot(page).getByRole('heading', { name: LABELS.en.moduleName })).toBeVisible({ timeout: 20_000 })
  })
})

test('the templates page lists the shops and mounts the template screen for the chosen one', async ({ page, shots }) => {
  await loginViaPage(page)
  const shopLinks = page.getByRole('table').getByRole('link')
  await shots.step('the shops', async () => {
    await page.goto(E2E.paths.templates)
    await expect(page.getByRole('heading', { level: 1, name: LABELS.pl.templatesTitle })).toBeVisible()
    await expect(shopLinks).toHaveCount(3)
    await expect(moduleRoot(page)).toHaveCount(0)
  })
  await shots.step('the template screen of the first shop', async () => {
    const first = shopLinks.first()
    const shopName = (await first.textContent())!.trim()
    await first.focus()
    await page.keyboard.press('Enter')
    await expect(page).toHaveURL(/[?&]shop=/)
    await expect(page.getByText(`Administracja / Konfiguracja wiadomości transakcyjnych / ${shopName} / Klienci / Zarządzanie kontem`)).toBeVisible()
    const root = moduleRoot(page)
    if (!EXTERNAL_HOST) await expect(root).toHaveAttribute('data-state', 'mounted', { timeout: 20_000 })
    // the template screen's heading carries the template's name (maybe with the shop's)
    await expect(root.getByRole('heading', { name: new RegExp(LABELS.pl.templateName) })).toBeVisible({ timeout: 20_000 })
  })
})

test('the outbox page renders', async ({ page, shots }) => {
  await loginViaPage(page)
  await shots.step('Wysłane maile', async () => {
    await page.goto(E2E.paths.outbox)
    await expect(page.getByRole('heading', { level: 1, name: new RegExp(`^${LABELS.pl.outboxTitle} \\(\\d+\\)$`) })).toBeVisible()
  })
})
