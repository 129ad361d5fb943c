/**
 * The remote in hosts without Vite: a plain HTML page (e2e/plain-host, no Vue of its own) and
 * the mock panel's page (which offers its vue and pinia as shared singletons). What is checked
 * is how @module-federation/runtime resolves the shared vue: the remote's own vue chunk is a
 * fallback, fetched at most once, and never when the host shares its vue.
 */
import { E2E, EXTERNAL_HOST, LABELS, REMOTE_VUE_CHUNK, countRequests, expect, loginViaApi, moduleRoot, openMigrationMode, test } from './support.ts'

test.describe('plain HTML host', () => {
  test.skip(EXTERNAL_HOST && !process.env.E2E_PLAIN_HOST_PATH, 'the plain HTML host is served by the mock host only')

  test('mounts the module with mount(el, {apiBase, locale}); the remote brings its own vue, once', async ({ page, shots }) => {
    await loginViaApi(page)
    const vueChunk = countRequests(page, REMOTE_VUE_CHUNK)
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))
    await shots.step('the plain host shows the module', async () => {
      await page.goto(E2E.paths.plainHost)
      await expect(moduleRoot(page)).toHaveAttribute('data-state', 'mounted', { timeout: 20_000 })
      await expect(moduleRoot(page).getByRole('heading', { name: LABELS.pl.moduleName })).toBeVisible({ timeout: 20_000 })
    })
    // no host vue was offered: the runtime falls back to the remote's own chunk, fetched once
    expect(vueChunk.urls()).toHaveLength(1)
    expect(errors).toEqual([])
  })

  test('mounts in English with ?lang=en', async ({ page, shots }) => {
    await loginViaApi(page)
    await shots.step('the plain host in English', async () => {
      await page.goto(`${E2E.paths.plainHost}?lang=en`)
      await expect(moduleRoot(page).getByRole('heading', { name: LABELS.en.moduleName })).toBeVisible({ timeout: 20_000 })
    })
  })
})

test('the panel page shares its vue and pinia: the remote never fetches its own vue', async ({ page, shots }) => {
  test.skip(EXTERNAL_HOST, 'what another host shares is its own business')
  await loginViaApi(page)
  const vueChunk = countRequests(page, REMOTE_VUE_CHUNK)
  const errors: string[] = []
  page.on('pageerror', (e) => errors.push(e.message))
  await shots.step('the panel page with the shared vue', async () => {
    await openMigrationMode(page)
  })
  expect(vueChunk.urls()).toEqual([])
  expect(errors).toEqual([])
})
