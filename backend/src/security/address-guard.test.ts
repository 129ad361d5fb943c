import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Server } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SourceError } from '../connectors/connector.ts'
import { AddressNotAllowedError, checkSourceUrl, createGuardedFetch, isForbiddenAddress } from './address-guard.ts'

describe('isForbiddenAddress', () => {
  it.each([
    // IPv4
    ['127.0.0.1', true],
    ['127.255.255.254', true],
    ['10.1.2.3', true],
    ['172.16.0.1', true],
    ['172.31.255.255', true],
    ['172.32.0.1', false],
    ['192.168.1.10', true],
    ['169.254.169.254', true], // cloud metadata
    ['100.64.0.1', true],
    ['100.127.255.255', true],
    ['100.128.0.1', false],
    ['0.0.0.0', true],
    ['0.1.2.3', true],
    ['224.0.0.1', true],
    ['239.255.255.250', true],
    ['240.0.0.1', true],
    ['255.255.255.255', true],
    ['192.0.2.10', true],
    ['198.18.0.1', true],
    ['8.8.8.8', false],
    ['93.184.216.34', false],
    ['212.77.98.9', false],
    // IPv6
    ['::1', true],
    ['::', true],
    ['fe80::1', true],
    ['fe80::1%eth0', true],
    ['febf::1', true],
    ['fc00::1', true],
    ['fd12:3456:789a::1', true],
    ['ff02::1', true],
    ['2001:db8::1', true],
    ['2001:0:4136:e378:8000:63bf:3fff:fdd2', true], // Teredo
    ['2a00:1450:4001:82a::200e', false],
    ['2606:4700:4700::1111', false],
    // IPv6 carrying IPv4
    ['::ffff:127.0.0.1', true],
    ['::ffff:7f00:1', true],
    ['::ffff:10.0.0.1', true],
    ['::ffff:8.8.8.8', false],
    ['::ffff:0:127.0.0.1', true], // SIIT
    ['::127.0.0.1', true], // IPv4-compatible (deprecated)
    ['::8.8.8.8', true],
    ['64:ff9b::7f00:1', true], // NAT64 of 127.0.0.1
    ['64:ff9b::808:808', false], // NAT64 of 8.8.8.8
    ['2002:7f00:1::', true], // 6to4 of 127.0.0.1
    ['2002:c0a8:101::1', true], // 6to4 of 192.168.1.1
    ['2002:808:808::1', false],
    ['[::1]', true],
    // not addresses: fail closed
    ['0177.0.0.1', true],
    ['localhost', true],
    ['', true],
  ])('%s → %s', (ip, forbidden) => {
    expect(isForbiddenAddress(ip)).toBe(forbidden)
  })
})

const noLookup = async (host: string): Promise<never> => {
  throw new Error(`unexpected DNS lookup of ${host}`)
}
const prod = { allowPrivate: false, allowHttp: false, lookup: noLookup }

describe('checkSourceUrl', () => {
  it.each([
    ['https://127.0.0.1/', 'forbidden_address'],
    ['https://2130706433/', 'forbidden_address'], // decimal
    ['https://0x7f000001/', 'forbidden_address'], // hex
    ['https://0177.0.0.1/', 'forbidden_address'], // octal
    ['https://127.1/', 'forbidden_address'], // short form
    ['https://0/', 'forbidden_address'],
    ['https://[::1]/', 'forbidden_address'],
    ['https://[::ffff:127.0.0.1]/', 'forbidden_address'],
    ['https://[::ffff:7f00:1]/', 'forbidden_address'],
    ['https://169.254.169.254/latest/meta-data/', 'forbidden_address'],
    ['http://sklep.example.pl/', 'scheme_not_allowed'],
    ['ftp://sklep.example.pl/', 'scheme_not_allowed'],
    ['file:///etc/passwd', 'scheme_not_allowed'],
    ['https://api:secret@sklep.example.pl/', 'credentials_in_url'],
    ['https://user@sklep.example.pl/', 'credentials_in_url'],
    ['sklep.example.pl', 'invalid_url'],
    ['https://', 'invalid_url'],
  ])('%s → %s', async (url, reason) => {
    expect(await checkSourceUrl(url, prod)).toMatchObject({ ok: false, reason })
  })

  it('accepts a public IP literal without DNS', async () => {
    const r = await checkSourceUrl('https://93.184.216.34/webapi/rest', prod)
    expect(r).toMatchObject({ ok: true, addresses: [{ address: '93.184.216.34', family: 4 }] })
  })

  const resolvesTo =
    (...addresses: string[]) =>
    async () =>
      addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }))

  it('refuses a hostname resolving to loopback, allows it for development', async () => {
    const lookup = resolvesTo('127.0.0.1')
    expect(await checkSourceUrl('https://sklep.example.pl/', { ...prod, lookup })).toMatchObject({ ok: false, reason: 'forbidden_address' })
    const dev = await checkSourceUrl('https://sklep.example.pl/', { allowPrivate: true, allowHttp: false, lookup })
    expect(dev).toMatchObject({ ok: true, addresses: [{ address: '127.0.0.1', family: 4 }] })
    if (dev.ok) expect(dev.url.hostname).toBe('sklep.example.pl')
  })

  it('checks every resolved address', async () => {
    const lookup = resolvesTo('93.184.216.34', '2606:4700::1', '10.0.0.5')
    expect(await checkSourceUrl('https://sklep.example.pl/', { ...prod, lookup })).toMatchObject({ ok: false, reason: 'forbidden_address' })
  })

  it('reports a name that does not resolve', async () => {
    const lookup = async () => {
      throw Object.assign(new Error('getaddrinfo ENOTFOUND nie-ma-sklepu.pl'), { code: 'ENOTFOUND' })
    }
    expect(await checkSourceUrl('https://nie-ma-sklepu.pl/', { ...prod, lookup })).toMatchObject({ ok: false, reason: 'unresolvable' })
  })

  it('allows http only when told so', async () => {
    const lookup = resolvesTo('93.184.216.34')
    expect(await checkSourceUrl('http://sklep.example.pl/', { allowPrivate: false, allowHttp: true, lookup })).toMatchObject({ ok: true })
  })
})

describe('createGuardedFetch against a local server', () => {
  let shop: Server
  let other: Server
  let shopPort = 0
  let otherPort = 0
  let otherHits = 0

  const listen = (s: Server) =>
    new Promise<number>((resolve) => s.listen(0, '127.0.0.1', () => resolve((s.address() as AddressInfo).port)))

  beforeAll(async () => {
    other = createServer((_req, res) => {
      otherHits++
      res.end('other')
    })
    otherPort = await listen(other)
    shop = createServer((req, res) => {
      if (req.url === '/redirect') {
        res.writeHead(302, { location: `http://internal.test:${otherPort}/admin` }).end()
      } else {
        res.setHeader('content-type', 'application/json').end(JSON.stringify({ shop: 'demo', host: req.headers.host }))
      }
    })
    shopPort = await listen(shop)
  })

  afterAll(async () => {
    for (const s of [shop, other]) {
      s.closeAllConnections()
      await new Promise((r) => s.close(r))
    }
  })

  const localLookup = async () => [{ address: '127.0.0.1', family: 4 }]

  it('refuses 127.0.0.1 in production mode, before any connection', async () => {
    const fetch = createGuardedFetch({ allowPrivate: false, allowHttp: true })
    await expect(fetch(`http://127.0.0.1:${shopPort}/`)).rejects.toBeInstanceOf(AddressNotAllowedError)
    await expect(fetch(`http://2130706433:${shopPort}/`)).rejects.toMatchObject({ reason: 'forbidden_address' })
    await fetch.close()
  })

  it('refuses http in production mode', async () => {
    const fetch = createGuardedFetch({ allowPrivate: true, allowHttp: false })
    await expect(fetch(`http://127.0.0.1:${shopPort}/`)).rejects.toMatchObject({ reason: 'scheme_not_allowed' })
    await fetch.close()
  })

  it('works with allowPrivate and allowHttp (development)', async () => {
    const fetch = createGuardedFetch({ allowPrivate: true, allowHttp: true })
    const res = await fetch(`http://127.0.0.1:${shopPort}/`, { headers: { accept: 'application/json' } })
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ shop: 'demo' })
    await fetch.close()
  })

  it('connects a hostname through the guarded lookup', async () => {
    const fetch = createGuardedFetch({ allowPrivate: true, allowHttp: true, lookup: localLookup })
    const res = await fetch(`http://demo-shop.test:${shopPort}/`)
    expect(await res.json()).toMatchObject({ host: `demo-shop.test:${shopPort}` })
    await fetch.close()
  })

  it('refuses a DNS rebinding: the address at connect time is checked again', async () => {
    let calls = 0
    // first answer (the pre-check) is public, the second (at connect) is loopback
    const rebinding = async () => [{ address: calls++ === 0 ? '93.184.216.34' : '127.0.0.1', family: 4 }]
    const fetch = createGuardedFetch({ allowPrivate: false, allowHttp: true, lookup: rebinding })
    const err = await fetch(`http://rebind.test:${shopPort}/`).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(AddressNotAllowedError)
    // a connector sees a SourceError it must not retry, with the code the admin reads
    expect(err).toBeInstanceOf(SourceError)
    expect(err).toMatchObject({ code: 'SOURCE_ADDRESS_NOT_ALLOWED', retryable: false, reason: 'forbidden_address' })
    expect(calls).toBe(2)
    await fetch.close()
  })

  it('never follows a redirect: the 3xx comes back as is', async () => {
    const fetch = createGuardedFetch({ allowPrivate: true, allowHttp: true, lookup: localLookup })
    const res = await fetch(`http://127.0.0.1:${shopPort}/redirect`, { redirect: 'follow' })
    expect(res.status).toBe(302)
    expect(res.headers.get('location')).toBe(`http://internal.test:${otherPort}/admin`)
    expect(otherHits).toBe(0)
    await fetch.close()
  })
})

describe('createGuardedFetch and DNS failures', () => {
  it('reports a name that does not resolve as a fetch failure, not as a forbidden address', async () => {
    const dnsError = Object.assign(new Error('getaddrinfo ENOTFOUND nie-ma-sklepu.pl'), { code: 'ENOTFOUND' })
    const fetch = createGuardedFetch({ allowPrivate: false, allowHttp: false, lookup: async () => Promise.reject(dnsError) })
    const err = await fetch('https://nie-ma-sklepu.pl/').catch((e: unknown) => e)
    expect(err).toBeInstanceOf(TypeError)
    expect(err).not.toBeInstanceOf(AddressNotAllowedError)
    expect((err as TypeError).cause).toBe(dnsError)
    await fetch.close()
  })
})
