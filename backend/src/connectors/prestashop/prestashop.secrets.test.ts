/**
 * The Webservice hands out every customer's passwd (bcrypt), secure_key and reset token.
 * Read whole demo shops and search everything the connector hands out (pages, cursors,
 * events, check answers, error messages) for every one of those values: none may appear.
 */
import { describe, expect, it } from 'vitest'
import { SourceError } from '../connector.ts'
import { prestashopConnector } from './prestashop.connector.ts'
import { prestashopSecretValues } from './prestashop.demo-data.ts'
import { NO_CUSTOMERS_KEY, testPrestaShop, UNKNOWN_KEY } from './prestashop.testing.ts'

describe.each(['strings', 'numbers'] as const)('prestashop secrets (%s JSON)', (jsonTypes) => {
  it('no passwd, secure_key or reset token leaves the connector', async () => {
    const shop = await testPrestaShop({ count: 347, seed: 13, jsonTypes })
    const secrets = prestashopSecretValues(shop.mock.data)
    // the search must be able to fail: every kind of secret is there, and the shop really sent them
    expect(secrets.filter((s) => s.startsWith('$2y$10$')).length).toBe(347)
    expect(secrets.filter((s) => /^[0-9a-f]{32}$/.test(s)).length).toBe(347)
    expect(secrets.filter((s) => /^[0-9a-f]{40}$/.test(s)).length).toBeGreaterThan(10)

    const said: string[] = []
    const collect = async (run: () => Promise<unknown>) => {
      try {
        said.push(JSON.stringify(await run()))
      } catch (e) {
        said.push(e instanceof SourceError ? `${e.code} ${e.message}` : String(e))
      }
    }
    await collect(() => prestashopConnector.check(shop.credentials, shop.http))
    for (const key of [UNKNOWN_KEY, NO_CUSTOMERS_KEY]) await collect(() => prestashopConnector.check(shop.withKey(key), shop.http))
    // a full read through faults: every page (customers, left-out counts, cursor) as the engine stores it
    shop.mock.setFaults({ brokenJsonEvery: 7, serverErrorEvery: 11 })
    for await (const page of prestashopConnector.pages(shop.credentials, null, shop.http)) said.push(JSON.stringify(page))
    // a read that dies on the shop's answers, for its error message
    shop.mock.setFaults({ brokenJsonEvery: 1 })
    await collect(async () => {
      for await (const _ of prestashopConnector.pages(shop.credentials, null, { ...shop.http, retries: 1 })) void _
    })
    said.push(JSON.stringify(shop.events))

    expect(shop.mock.state.secretsSent).toBeGreaterThanOrEqual(347)
    expect(said.join('\n')).toContain('SOURCE_BAD_RESPONSE')
    const text = said.join('\n')
    // counted, not listed: a failure must not print the values either
    expect(secrets.filter((s) => text.includes(s)).length, 'secret values in what the connector handed out').toBe(0)
    expect(text).not.toMatch(/passwd|secure_key|reset_password_token/)
  })
})
