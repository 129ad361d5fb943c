/**
 * The migration's steps as the story specs (migration-*.spec.ts) walk them: the screens found by
 * their headings, fields by their labels and buttons by their Polish names (mission.md), so a
 * spec reads as the admin's own path. Only an import's row is found by its id, taken from the
 * answer to "Zapisz i zleć import" / "Wgraj plik", as every row of the same shop reads alike.
 */
import type { Locator, Page, Response } from '@playwright/test'
import { E2E, expect } from './support.ts'

/** The source shop's API credentials as the connection form asks for them. */
export interface SourceLogin {
  domain: string
  login: string
  password: string
}

export const DEMO_SOURCE: SourceLogin = { domain: E2E.source.url, login: E2E.source.login, password: E2E.source.password }

/** The import statuses as the Status column shows them (api.md). */
export const STATUS = {
  awaiting_xml: 'Oczekuje na wygenerowanie pliku XML',
  awaiting_verification: 'Oczekuje na weryfikację',
  verifying: 'Weryfikacja pliku',
  buffered: 'W buforze',
  completed: 'Zakończony',
  verification_failed: 'Błąd weryfikacji pliku',
  source_deleted: 'Źródło usunięte',
} as const

/** the demo shop's fetch is paced (2 requests/s): generous room for it, polled through the UI */
export const FETCH_TIMEOUT = 60_000

/* ------------------------------------------------------------------ steps 2–4: the wizard */

/** Step 2: Nowa migracja → the platform (Shoper) → Przejdź dalej; resolves on the connection form. */
export async function choosePlatform(root: Locator, platform = 'Shoper'): Promise<void> {
  await root.getByRole('button', { name: 'Nowa migracja' }).first().click()
  await expect(root.getByRole('heading', { name: 'Wybierz platformę sklepu źródłowego' })).toBeVisible()
  const radio = root.getByRole('radio', { name: platform, exact: true })
  await radio.check()
  await expect(radio).toBeChecked()
  await root.getByRole('button', { name: 'Przejdź dalej' }).click()
  await expect(root.getByRole('heading', { name: `Połączenie z API sklepu ${platform}` })).toBeVisible()
}

/** The connection form's fields and buttons (step 3). */
export function connectionForm(root: Locator) {
  return {
    domain: root.getByLabel('Domena sklepu', { exact: true }),
    login: root.getByLabel('Login', { exact: true }),
    password: root.getByLabel('Hasło', { exact: true }),
    check: root.getByRole('button', { name: 'Sprawdź połączenie' }),
    next: root.getByRole('button', { name: 'Przejdź dalej' }),
    ok: root.getByRole('status').filter({ hasText: 'Połączenie poprawne' }),
    failed: root.getByRole('alert').filter({ hasText: 'Połączenie niepoprawne' }),
  }
}

/** Types the credentials and presses Sprawdź połączenie (the result is the caller's to judge). */
export async function checkConnection(root: Locator, source: SourceLogin): Promise<ReturnType<typeof connectionForm>> {
  const form = connectionForm(root)
  await form.domain.fill(source.domain)
  await form.login.fill(source.login)
  await form.password.fill(source.password)
  await form.check.click()
  await expect(form.ok.or(form.failed)).toBeVisible({ timeout: 30_000 })
  return form
}

/** 'red' or 'green' by the box's background (the result of Sprawdź połączenie). */
export async function tone(box: Locator): Promise<'red' | 'green' | 'neutral'> {
  const bg = await box.evaluate((el) => getComputedStyle(el).backgroundColor)
  const [r = 0, g = 0] = (bg.match(/\d+/g) ?? []).map(Number)
  if (r - g > 8) return 'red'
  if (g - r > 8) return 'green'
  return 'neutral'
}

/** The shop checkboxes of step 4 (or of the upload dialog), by the shop's name. */
export function shopCheckbox(scope: Locator, shopName: string): Locator {
  return scope.getByRole('checkbox', { name: new RegExp(`^${escapeRe(shopName)}\\b`) })
}

/** The answer to POST /imports (Zapisz i zleć import) or POST /imports/upload (Wgraj plik). */
export function importCreated(page: Page, upload = false): Promise<Response> {
  const suffix = upload ? '/imports/upload' : '/imports'
  return page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === `${E2E.apiBase}${suffix}`)
}

/** Step 4: ticks the shops, Zapisz i zleć import; resolves with the new import's id, back on the list. */
export async function queueImport(page: Page, root: Locator, shopNames: string[]): Promise<string> {
  await expect(root.getByRole('heading', { name: 'Wybierz sklepy docelowe' })).toBeVisible()
  for (const name of shopNames) await shopCheckbox(root, name).check()
  const created = importCreated(page)
  await root.getByRole('button', { name: 'Zapisz i zleć import' }).click()
  const res = await created
  expect(res.status(), `POST /imports → ${res.status()} ${await res.text().catch(() => '')}`).toBe(201)
  const id = ((await res.json()) as { id: string }).id
  await expect(root.getByRole('heading', { name: 'Migracja klientów z innego sklepu' })).toBeVisible()
  return id
}

/** Steps 2–4 in one go, with the source that works: resolves with the import's id. */
export async function queueImportFromDemoShop(page: Page, root: Locator, shopNames: string[]): Promise<string> {
  await choosePlatform(root)
  const form = await checkConnection(root, DEMO_SOURCE)
  await expect(form.ok).toBeVisible()
  await form.next.click()
  return queueImport(page, root, shopNames)
}

/* ------------------------------------------------------------------ the import list */

/** One import's row in the list (rows of the same source read alike; the id tells them apart). */
export function importRow(root: Locator, id: string): Locator {
  return root.getByRole('table', { name: 'Lista importów' }).locator(`tr[data-import-id="${id}"]`)
}

/** The status badge's text in a row or on the details screen. */
export function statusText(scope: Locator, status: keyof typeof STATUS): Locator {
  return scope.getByText(STATUS[status], { exact: true })
}

/* ------------------------------------------------------------------ the host's API */

export interface Shop {
  id: string
  name: string
}

export async function panelShops(page: Page): Promise<Shop[]> {
  const res = await page.request.get(`${E2E.apiBase}/shops`)
  expect(res.ok()).toBeTruthy()
  return ((await res.json()) as { items: Shop[] }).items
}

export async function panelCustomerCount(page: Page): Promise<number> {
  const res = await page.request.get('/api/customers?limit=1')
  expect(res.ok(), `GET /api/customers → ${res.status()}`).toBeTruthy()
  return ((await res.json()) as { total: number }).total
}

export interface OutboxMail {
  id: string
  to: string[]
  subject: string
  text: string
}

export async function outbox(page: Page): Promise<OutboxMail[]> {
  const res = await page.request.get('/api/outbox')
  expect(res.ok(), `GET /api/outbox → ${res.status()}`).toBeTruthy()
  return ((await res.json()) as { items: OutboxMail[] }).items
}

export function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

