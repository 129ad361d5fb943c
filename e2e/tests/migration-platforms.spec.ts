/**
 * WooCommerce, PrestaShop, Shopify and Magento 2, steps 2–9 each in Chromium: WooCommerce and
 * Shopify (client ID + secret) in Polish, PrestaShop and Magento in English; each platform's
 * connection step in the other language too (Shopify there by its legacy token). Every step leaves its
 * screenshot; each story prints and attaches the counts it saw per step (fetched, left out,
 * buffered, imported, failed per error code, notified, mails).
 */
import type { Locale } from '@cm/contracts'
import { E2E, expect, expectStepScreenshots, loginViaPage, test } from './support.ts'
import { connectionStep, platformStory, type PlatformSource } from './platform-story.ts'

const WOOCOMMERCE: PlatformSource = {
  platform: 'woocommerce',
  credentials: { domain: E2E.woocommerce.url, consumerKey: E2E.woocommerce.consumerKey, consumerSecret: E2E.woocommerce.consumerSecret },
  wrong: { values: { consumerSecret: 'cs_0000000000000000000000000000000000000000' }, code: 'SOURCE_AUTH_FAILED' },
  customers: E2E.source.customers,
}
const PRESTASHOP: PlatformSource = {
  platform: 'prestashop',
  credentials: { domain: E2E.prestashop.url, apiKey: E2E.prestashop.apiKey },
  wrong: { values: { apiKey: E2E.prestashop.noCustomersKey }, code: 'SOURCE_API_ACCESS_DENIED' },
  customers: E2E.source.customers,
}

const SHOPIFY: PlatformSource = {
  platform: 'shopify',
  mode: 'client',
  credentials: { domain: E2E.shopify.url, clientId: E2E.shopify.clientId, clientSecret: E2E.shopify.clientSecret },
  wrong: { values: { clientId: E2E.shopify.noCustomersClientId, clientSecret: E2E.shopify.noCustomersClientSecret }, code: 'SOURCE_API_ACCESS_DENIED' },
  customers: E2E.source.customers,
}
const SHOPIFY_TOKEN: PlatformSource = {
  platform: 'shopify',
  mode: 'token',
  credentials: { domain: E2E.shopify.url, accessToken: E2E.shopify.accessToken },
  wrong: { values: { accessToken: 'shpat_00000000000000000000000000000000' }, code: 'SOURCE_AUTH_FAILED' },
  customers: E2E.source.customers,
}
const MAGENTO: PlatformSource = {
  platform: 'magento2',
  credentials: {
    domain: E2E.magento2.url,
    consumerKey: E2E.magento2.consumerKey,
    consumerSecret: E2E.magento2.consumerSecret,
    accessToken: E2E.magento2.accessToken,
    accessTokenSecret: E2E.magento2.accessTokenSecret,
  },
  wrong: { values: { accessTokenSecret: 'zlysekret0000000000000000000000x' }, code: 'SOURCE_AUTH_FAILED' },
  customers: E2E.source.customers,
}

test.use({ actionTimeout: 20_000 })

test.afterAll(async ({}, testInfo) => {
  expect(expectStepScreenshots(testInfo).length).toBeGreaterThan(0)
})

const stories: Array<[PlatformSource, Locale]> = [
  [WOOCOMMERCE, 'pl'],
  [PRESTASHOP, 'en'],
  [SHOPIFY, 'pl'],
  [MAGENTO, 'en'],
]

for (const [source, locale] of stories) {
  test(`${source.platform}: kroki 2–9 / steps 2–9 (${locale})`, async ({ page, shots }, testInfo) => {
    test.setTimeout(240_000)
    await loginViaPage(page, E2E.admin)
    const counts = await platformStory(page, shots, source, locale)
    console.log(`[platform-story] ${JSON.stringify(counts)}`)
    await testInfo.attach(`${source.platform}-counts.json`, { body: JSON.stringify(counts, null, 2), contentType: 'application/json' })
    expect(counts.fetched).toBeGreaterThan(0)
    expect(counts.imported).toBeGreaterThan(0)
    expect(counts.notified).toBe(counts.imported)
  })
}

// the other language of each platform's connection step: labels, help texts and reasons
const otherLanguage: Array<[PlatformSource, Locale]> = [
  [WOOCOMMERCE, 'en'],
  [PRESTASHOP, 'pl'],
  [SHOPIFY_TOKEN, 'en'],
  [MAGENTO, 'pl'],
]
for (const [source, locale] of otherLanguage) {
  test(`${source.platform}${source.mode ? ` (${source.mode})` : ''}: połączenie / connection (${locale})`, async ({ page, shots }) => {
    await loginViaPage(page, E2E.admin)
    await connectionStep(page, shots, source, locale)
  })
}
