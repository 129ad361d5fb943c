/**
 * The admin's story, mission steps 1–9 on the demo Shoper shop, guided only by the product's
 * labels: the mode, the platform, the connection (a wrong password first), the target shops,
 * the fetch with its progress, Sprawdź i zaimportuj, Klienci niezaimportowani with Błędy, the
 * import dialog (fix a postcode, Pomiń, Nie pytaj mnie ponownie), an import without the dialog,
 * Klienci zaimportowani with the notification — and what the host saw: its customer base grew by
 * exactly the customers imported, and its outbox holds exactly one mail per notified customer.
 */
import type { Locator, Page } from '@playwright/test'
import { E2E, LABELS, expect, expectStepScreenshots, loginViaPage, openMigrationMode, test } from './support.ts'
import {
  DEMO_SOURCE,
  FETCH_TIMEOUT,
  checkConnection,
  choosePlatform,
  connectionForm,
  escapeRe,
  importRow,
  outbox,
  panelCustomerCount,
  panelShops,
  queueImport,
  statusText,
  tone,
} from './migration-steps.ts'

const POSTCODE_ERROR = 'Kod pocztowy nie pasuje do kraju'
const DUPLICATE_ERROR = 'E-mail powtórzony w pliku'
const VALID_POSTCODE = '31-134'

// an action that cannot happen fails soon, not at the end of the whole story's time
test.use({ actionTimeout: 20_000 })

test.afterAll(async ({}, testInfo) => {
  const files = expectStepScreenshots(testInfo)
  expect(files.length).toBeGreaterThan(0)
})

/** Klienci niezaimportowani: the table, its customer rows, one row by e-mail (case kept). */
function bufferList(root: Locator) {
  const table = root.getByRole('table', { name: 'Klienci niezaimportowani' })
  const rows = table.getByRole('row').filter({ has: root.page().getByRole('checkbox', { name: /^(Zaznacz klienta |Pominiętego klienta)/ }) })
  return {
    table,
    rows,
    row: (email: string) => table.getByRole('row').filter({ hasText: new RegExp(escapeRe(email)) }),
    counts: root.getByText(/^Oczekujący: [\d  ]+ · z błędami: [\d  ]+ · pominięci: [\d  ]+ · zaimportowani: [\d  ]+$/),
    importButton: root.getByRole('button', { name: /^Importuj klientów do bazy sklepu/ }),
    state: root.getByRole('combobox', { name: /^Stan(\s|$)/ }),
    error: root.getByRole('combobox', { name: /^Błąd(\s|$)/ }),
    result: (text: string | RegExp) => root.getByRole('status').filter({ hasText: text }),
  }
}

/** the numbers of "Oczekujący: … · z błędami: … · pominięci: … · zaimportowani: …" */
async function readCounts(counts: Locator) {
  const [pending = NaN, failed = NaN, skipped = NaN, imported = NaN] = ((await counts.textContent()) ?? '')
    .replace(/[  ]/g, '')
    .match(/\d+/g)!
    .map(Number)
  return { pending, failed, skipped, imported }
}

/** The e-mail of a customer row (the cell after the checkbox; the login is the row's header). */
async function emailOf(row: Locator): Promise<string> {
  return ((await row.getByRole('cell').nth(1).textContent()) ?? '').trim()
}

/** Filters Klienci niezaimportowani by one error and waits until every row shows it. */
async function filterByError(list: ReturnType<typeof bufferList>, label: string, message: RegExp): Promise<void> {
  await list.error.selectOption({ label })
  await expect(list.rows.first()).toBeVisible()
  await expect(list.rows.filter({ hasNotText: message })).toHaveCount(0)
}

/** The per-customer dialog of step 8 (Sprawdź dane przed importem (n z total)). */
function importDialog(page: Page): Locator {
  return page.getByRole('dialog', { name: /^Sprawdź dane przed importem \(\d+ z \d+\)$/ })
}

test('administrator: migracja klientów ze sklepu Shoper, kroki 1–9', async ({ page, shots }) => {
  test.setTimeout(180_000)
  let root!: Locator
  let importId = ''
  const api = (p: string) => `${E2E.apiBase}${p}`

  await loginViaPage(page, E2E.admin)
  // the story starts with confirmation on (the UI can only switch it off: Nie pytaj mnie ponownie)
  expect((await page.request.put(api('/preferences'), { data: { confirmBeforeImport: true } })).ok()).toBeTruthy()
  const customersBefore = await panelCustomerCount(page)
  const mailsBefore = (await outbox(page)).length
  const shops = await panelShops(page)
  expect(shops.length).toBeGreaterThanOrEqual(2)
  const targetShops = shops.slice(0, 2).map((s) => s.name)

  await shots.step('1. KLIENCI / Eksport i import klientów: tryb Migracja klientów z innego sklepu', async () => {
    await page.goto(E2E.paths.panel)
    await expect(page.getByRole('heading', { level: 1, name: LABELS.pl.panelTitle })).toBeVisible()
    await expect(page.getByRole('link', { name: LABELS.pl.moduleName, exact: true })).toBeVisible()
    root = await openMigrationMode(page)
    await expect(root.getByRole('button', { name: 'Nowa migracja' }).first()).toBeVisible()
  })

  await shots.step('2. Wybór platformy: Shoper', async () => {
    await choosePlatform(root, 'Shoper')
  })

  await shots.step('3. Konfiguracja połączenia z API', async () => {
    const form = connectionForm(root)
    await shots.step('3a. Sprawdź połączenie ze złym hasłem: Połączenie niepoprawne', async () => {
      await checkConnection(root, { ...DEMO_SOURCE, password: `${DEMO_SOURCE.password}-zle-haslo` })
      await expect(form.failed).toBeVisible()
      await expect(form.failed).toContainText('Nieprawidłowy login lub hasło. Sprawdź dane użytkownika API w sklepie źródłowym.')
      expect(await tone(form.failed)).toBe('red')
      await expect(form.next).toBeDisabled()
      await expect(root.getByText('Przycisk „Przejdź dalej” będzie dostępny po poprawnym sprawdzeniu połączenia.')).toBeVisible()
    })
    await shots.step('3b. Sprawdź połączenie z poprawnym hasłem: Połączenie poprawne', async () => {
      await form.password.fill(DEMO_SOURCE.password)
      await expect(root.getByText('Dane zmieniły się po sprawdzeniu. Sprawdź połączenie ponownie.')).toBeVisible()
      await expect(form.next).toBeDisabled()
      await form.check.click()
      await expect(form.ok).toBeVisible({ timeout: 30_000 })
      expect(await tone(form.ok)).toBe('green')
      await expect(form.ok).toContainText(new RegExp(`${E2E.source.customers} klient`))
      await expect(form.next).toBeEnabled()
    })
    await form.next.click()
  })

  await shots.step('4. Sklepy docelowe: Zapisz i zleć import', async () => {
    importId = await queueImport(page, root, targetShops)
  })
  const row = importRow(root, importId)

  await shots.step('5. Pobieranie klientów ze sklepu źródłowego', async () => {
    await shots.step('5a. Lista importów: Oczekuje na wygenerowanie pliku XML, pasek postępu', async () => {
      await expect(row).toBeVisible()
      await expect(row.getByRole('rowheader')).toContainText(DEMO_SOURCE.domain)
      await expect(row.getByRole('cell').first()).toHaveText(targetShops.join(', '))
      await expect(statusText(row, 'awaiting_xml')).toBeVisible()
      await expect(row.getByRole('progressbar', { name: 'Postęp pobierania klientów' })).toBeVisible()
    })
    await shots.step('5b. szczegóły i status generowania: postęp pobierania', async () => {
      await row.getByRole('link', { name: 'szczegóły i status generowania' }).click()
      await expect(root.getByRole('heading', { name: 'Szczegóły i status generowania' })).toBeVisible()
      await expect(root.getByRole('progressbar', { name: 'Postęp pobierania klientów' })).toBeVisible()
      await expect(root.getByRole('heading', { name: 'Generowanie pliku XML' })).toBeVisible()
    })
    await shots.step('5c. Oczekuje na weryfikację: plik XML gotowy', async () => {
      // the details follow the fetch live: polled through the UI until the file is complete
      await expect(statusText(root, 'awaiting_verification')).toBeVisible({ timeout: FETCH_TIMEOUT })
      const bar = root.getByRole('progressbar', { name: 'Postęp pobierania klientów' })
      await expect(bar).toHaveAttribute('aria-valuemax', String(E2E.source.customers))
      await expect(bar).toHaveAttribute('aria-valuenow', String(E2E.source.customers))
      await expect(root.getByRole('link', { name: 'Pobierz plik XML' })).toBeVisible()
      await root.getByRole('button', { name: 'Wróć do listy importów' }).click()
      await expect(statusText(row, 'awaiting_verification')).toBeVisible()
    })
  })

  await shots.step('6. Sprawdź i zaimportuj: plik poprawny, klienci w buforze', async () => {
    await row.getByRole('button', { name: 'Sprawdź i zaimportuj' }).click()
    await expect(statusText(row, 'buffered')).toBeVisible({ timeout: 30_000 })
    await expect(row.getByRole('list', { name: 'Klienci w buforze' })).toContainText(/Oczekujący: \d+/)
  })

  const list = bufferList(root)
  let inFile = 0
  await shots.step('7. Klienci niezaimportowani: dane klientów, kolumna Błędy na końcu', async () => {
    await row.getByRole('link', { name: 'Klienci niezaimportowani' }).click()
    await expect(root.getByRole('heading', { name: 'Klienci niezaimportowani' })).toBeVisible()
    const headers = list.table.getByRole('columnheader')
    await expect(headers.filter({ hasText: /\S/ })).toHaveText(['Login', 'E-mail', 'Imię', 'Nazwisko', 'Firma', 'Ulica', 'Kod', 'Miasto', 'Kraj', 'Telefon', 'Stan', 'Błędy'])
    await expect(headers.last()).toHaveText('Błędy')
    await expect(list.rows.first()).toBeVisible()
    const counts = await readCounts(list.counts)
    expect(counts).toMatchObject({ failed: 0, skipped: 0, imported: 0 })
    expect(counts.pending).toBeGreaterThan(0)
    inFile = counts.pending
    await expect(list.rows).toHaveCount(Math.min(50, inFile))
    await expect(list.importButton).toBeDisabled()
  })

  await shots.step('8. Edycja przed importem', async () => {
    await shots.step('8a. Zaznacz wszystkich pasujących: Importuj klientów do bazy sklepu', async () => {
      await root.getByRole('checkbox', { name: 'Zaznacz stronę' }).check()
      await root.getByRole('button', { name: `Zaznacz wszystkie pasujące (${inFile})` }).click()
      await expect(root.getByText(`Zaznaczono wszystkich pasujących klientów: ${inFile}.`)).toBeVisible()
      await list.importButton.click()
      const confirm = page.getByRole('dialog', { name: 'Importuj klientów do bazy sklepu' })
      await expect(confirm).toContainText(`Do bazy sklepu zostaną zaimportowani wszyscy klienci pasujący do wyszukiwania i filtrów: ${inFile}.`)
      await expect(confirm.getByRole('checkbox', { name: 'Nie pytaj mnie ponownie o potwierdzenie' })).not.toBeChecked()
      await shots.snap('8a. okno Importuj klientów do bazy sklepu')
      await confirm.getByRole('button', { name: 'Importuj', exact: true }).click()
      await expect(confirm).toBeHidden()
      // the import runs in the background; the counts refresh by themselves
      await expect(list.counts).toHaveText(/^Oczekujący: 0 · z błędami: [1-9]/, { timeout: 30_000 })
      const counts = await readCounts(list.counts)
      expect(counts.failed + counts.imported).toBe(inFile)
      await expect(list.rows.first()).toBeVisible()
      // those that could not be imported stay, and their last column says why
      await expect(list.rows.filter({ hasText: POSTCODE_ERROR }).first()).toBeVisible()
    })

    await shots.step('8b. Błąd kodu pocztowego: popraw kod w oknie i Importuj', async () => {
      await filterByError(list, POSTCODE_ERROR, new RegExp(POSTCODE_ERROR))
      expect(await list.rows.count()).toBeGreaterThanOrEqual(3)
      const email = await emailOf(list.rows.first())
      await list.row(email).getByRole('checkbox').check()
      await expect(list.importButton).toHaveText(/\(1\)$/)
      await list.importButton.click()
      const dialog = importDialog(page)
      await expect(dialog).toHaveAccessibleName('Sprawdź dane przed importem (1 z 1)')
      await expect(dialog).toContainText(email)
      const postcode = dialog.getByLabel('Kod pocztowy', { exact: true })
      await expect(postcode).toHaveAttribute('aria-invalid', 'true')
      await expect(postcode).toHaveAccessibleDescription(new RegExp(POSTCODE_ERROR))
      await expect(dialog.getByText(/^Do poprawienia: 1\./)).toBeVisible()
      await expect(dialog.getByRole('button', { name: 'Importuj', exact: true })).toBeDisabled()
      await shots.snap('8b. okno Sprawdź dane przed importem: błąd kodu pocztowego')
      await postcode.fill(VALID_POSTCODE)
      await expect(postcode).toHaveAttribute('aria-invalid', 'false')
      await expect(postcode).not.toHaveAccessibleDescription(new RegExp(POSTCODE_ERROR))
      await expect(dialog.getByText('Dane są poprawne.')).toBeVisible()
      await shots.snap('8b. okno: kod pocztowy poprawiony, Dane są poprawne')
      await dialog.getByRole('button', { name: 'Importuj', exact: true }).click()
      await expect(dialog).toBeHidden()
      await expect(list.result('Zaimportowano 1, nie udało się 0')).toBeVisible()
      await expect(list.row(email)).toHaveCount(0)
    })

    let skippedEmail = ''
    await shots.step('8c. Pomiń: klient pominięty', async () => {
      await filterByError(list, DUPLICATE_ERROR, /Ten e-mail ma już inny klient z tego importu/)
      skippedEmail = await emailOf(list.rows.first())
      await list.row(skippedEmail).getByRole('checkbox').check()
      await list.importButton.click()
      const dialog = importDialog(page)
      await expect(dialog).toHaveAccessibleName('Sprawdź dane przed importem (1 z 1)')
      await expect(dialog).toContainText(skippedEmail)
      await shots.snap('8c. okno Sprawdź dane przed importem: Pomiń')
      await dialog.getByRole('button', { name: 'Pomiń', exact: true }).click()
      await expect(dialog).toBeHidden()
      await expect(list.result('Pominięto 1')).toBeVisible()
      await expect(list.row(skippedEmail)).toHaveCount(0)
      // Stan: Pominięci shows it, and it cannot be ticked any more
      await list.error.selectOption({ label: 'Wszystkie' })
      await list.state.selectOption({ label: 'Pominięci' })
      const skipped = list.row(skippedEmail)
      await expect(skipped).toBeVisible()
      await expect(list.rows).toHaveCount(1)
      await expect(skipped).toContainText('Pominięty')
      await expect(skipped.getByRole('checkbox', { name: 'Pominiętego klienta nie można zaimportować' })).toBeDisabled()
    })

    await shots.step('8d. Nie pytaj mnie ponownie o potwierdzenie i Importuj', async () => {
      await list.state.selectOption({ label: 'Do zaimportowania (oczekujący i z błędami)' })
      await filterByError(list, POSTCODE_ERROR, new RegExp(POSTCODE_ERROR))
      const email = await emailOf(list.rows.first())
      await list.row(email).getByRole('checkbox').check()
      await list.importButton.click()
      const dialog = importDialog(page)
      await expect(dialog).toHaveAccessibleName('Sprawdź dane przed importem (1 z 1)')
      await dialog.getByLabel('Kod pocztowy', { exact: true }).fill(VALID_POSTCODE)
      await expect(dialog.getByText('Dane są poprawne.')).toBeVisible()
      await dialog.getByRole('checkbox', { name: 'Nie pytaj mnie ponownie o potwierdzenie' }).check()
      await expect(dialog.getByText('Następne importy odbędą się od razu, bez tego okna.')).toBeVisible()
      await shots.snap('8d. okno: Nie pytaj mnie ponownie o potwierdzenie')
      await dialog.getByRole('button', { name: 'Importuj', exact: true }).click()
      await expect(dialog).toBeHidden()
      await expect(list.row(email)).toHaveCount(0)
      const prefs = await (await page.request.get(api('/preferences'))).json()
      expect(prefs).toMatchObject({ confirmBeforeImport: false })
    })

    await shots.step('8e. Kolejny import bez okna: klient z błędem zostaje z opisem w kolumnie Błędy', async () => {
      await filterByError(list, POSTCODE_ERROR, new RegExp(POSTCODE_ERROR))
      const email = await emailOf(list.rows.first())
      await list.row(email).getByRole('checkbox').check()
      // every dialog element that appears from now on is counted, however briefly it is there
      await page.evaluate(() => {
        const w = window as unknown as { cmDialogsShown: number }
        w.cmDialogsShown = 0
        new MutationObserver((changes) => {
          for (const c of changes)
            for (const n of c.addedNodes) if (n instanceof Element && (n.matches('dialog') || n.querySelector('dialog'))) w.cmDialogsShown++
        }).observe(document.body, { childList: true, subtree: true })
      })
      await list.importButton.click()
      // no dialog: the import runs at once and reports; the customer stays, Błędy says why
      await expect(list.result('Zaimportowano 0, nie udało się 1')).toBeVisible()
      await expect(page.getByRole('dialog')).toHaveCount(0)
      expect(await page.evaluate(() => (window as unknown as { cmDialogsShown: number }).cmDialogsShown)).toBe(0)
      await expect(list.result('Klienci, których nie udało się zaimportować, zostali na liście: kolumna Błędy mówi, co poprawić.')).toBeVisible()
      const stays = list.row(email)
      await expect(stays).toBeVisible()
      await expect(stays.getByRole('cell').last()).toContainText(POSTCODE_ERROR)
    })
  })

  const imported = root.getByRole('table', { name: 'Klienci zaimportowani' })
  const importedRows = imported.getByRole('row').filter({ has: page.getByRole('checkbox', { name: /^Zaznacz klienta / }) })
  let importedCount = 0
  let previewText = ''
  let notifiedEmails: string[] = []
  await shots.step('9. Klienci zaimportowani i powiadomienie o założeniu konta', async () => {
    await shots.step('9a. Klienci zaimportowani: Poinformowano klienta o założeniu konta = Nie', async () => {
      importedCount = (await readCounts(list.counts)).imported
      await root.getByRole('button', { name: /^Klienci zaimportowani/ }).click()
      await expect(root.getByRole('heading', { name: 'Klienci zaimportowani' })).toBeVisible()
      await expect(root.getByText(`${LABELS.pl.templateName}`, { exact: false }).first()).toBeVisible()
      await expect(imported.getByRole('columnheader').last()).toHaveText('Poinformowano klienta o założeniu konta')
      await expect(importedRows).toHaveCount(Math.min(50, importedCount))
      await expect(root.getByText(`Wyniki 1–${Math.min(50, importedCount)} z ${importedCount}`)).toBeVisible()
      for (let i = 0; i < 3; i++) await expect(importedRows.nth(i).getByRole('cell').last()).toHaveText('Nie')
      await expect(importedRows.filter({ hasText: /Tak ·/ })).toHaveCount(0)
    })

    await shots.step('9b. Podgląd wiadomości', async () => {
      const first = importedRows.first()
      const email = await emailOf(first)
      await first.getByRole('button', { name: /^Podgląd wiadomości do / }).click()
      const preview = page.getByRole('dialog', { name: /^Podgląd wiadomości do / })
      await expect(preview).toContainText(email)
      await expect(preview).toContainText('Temat')
      await expect(preview).toContainText(/https?:\/\/\S+/)
      await expect(preview.getByRole('button', { name: 'Wyślij', exact: true })).toBeEnabled()
      previewText = await preview.innerText()
      await shots.snap('9b. okno Podgląd wiadomości')
      await preview.getByRole('button', { name: 'Zamknij', exact: true }).click()
      await expect(preview).toBeHidden()
    })

    await shots.step('9c. Wyślij powiadomienie do zaznaczonych: Tak z datą', async () => {
      for (let i = 0; i < 3; i++) {
        notifiedEmails.push(await emailOf(importedRows.nth(i)))
        await importedRows.nth(i).getByRole('checkbox').check()
      }
      await root.getByRole('button', { name: 'Wyślij powiadomienie do zaznaczonych' }).click()
      await expect(root.getByRole('status').filter({ hasText: 'Wysłano 3, nie udało się 0' })).toBeVisible({ timeout: 30_000 })
      for (const email of notifiedEmails) {
        const r = imported.getByRole('row').filter({ hasText: new RegExp(escapeRe(email)) })
        await expect(r.getByRole('cell').last()).toHaveText(/^Tak · \d{1,2}\.\d{2}\.\d{4}, \d{1,2}:\d{2}$/)
      }
      await expect(importedRows.filter({ hasText: /Tak ·/ })).toHaveCount(3)
      await root.getByRole('combobox', { name: /^Powiadomienie(\s|$)/ }).selectOption({ label: 'Poinformowani' })
      await expect(importedRows).toHaveCount(3)
    })
  })

  await shots.step('Po migracji: baza klientów sklepu i wysłane maile', async () => {
    // the import's own counts, the UI's and the host's customer base agree
    const details = await (await page.request.get(api(`/imports/${importId}`))).json()
    expect(details.counts).toMatchObject({ imported: importedCount, notified: 3, skipped: 1 })
    expect(await panelCustomerCount(page)).toBe(customersBefore + importedCount)
    // exactly one mail per notified customer, with the subject the preview showed
    await expect.poll(async () => (await outbox(page)).length, { timeout: 15_000 }).toBe(mailsBefore + 3)
    const mails = (await outbox(page)).slice(mailsBefore)
    expect(mails.flatMap((m) => m.to.map((t) => t.toLowerCase())).sort()).toEqual(notifiedEmails.map((e) => e.toLowerCase()).sort())
    const firstMail = mails.find((m) => m.to.some((t) => t.toLowerCase() === notifiedEmails[0]!.toLowerCase()))!
    expect(previewText).toContain(firstMail.subject)
    await page.goto(E2E.paths.outbox)
    await expect(page.getByRole('heading', { level: 1, name: new RegExp(`^${LABELS.pl.outboxTitle} \\(${mailsBefore + 3}\\)$`) })).toBeVisible()
    for (const email of notifiedEmails) await expect(page.getByRole('cell', { name: email, exact: true })).toBeVisible()
  })
})
