/**
 * A self-signed TLS certificate made on the fly with node:crypto alone (no openssl, no fixture
 * file): an EC P-256 key and a minimal X.509 v3 certificate for `localhost` and 127.0.0.1,
 * DER-encoded by hand. Only for tests of the TLS verification of source shops.
 */
import { generateKeyPairSync, randomBytes, sign } from 'node:crypto'

function der(tag: number, content: Buffer): Buffer {
  const n = content.length
  let len: Buffer
  if (n < 0x80) len = Buffer.from([n])
  else if (n < 0x100) len = Buffer.from([0x81, n])
  else len = Buffer.from([0x82, n >> 8, n & 0xff])
  return Buffer.concat([Buffer.from([tag]), len, content])
}
const seq = (...parts: Buffer[]) => der(0x30, Buffer.concat(parts))
const set = (...parts: Buffer[]) => der(0x31, Buffer.concat(parts))
const int = (bytes: Buffer) => der(0x02, bytes[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes)
const utf8 = (s: string) => der(0x0c, Buffer.from(s, 'utf8'))
const explicit = (n: number, content: Buffer) => der(0xa0 + n, content)

function oid(dotted: string): Buffer {
  const [a, b, ...rest] = dotted.split('.').map(Number)
  const out = [40 * a! + b!]
  for (const v of rest) {
    const chunk = [v & 0x7f]
    for (let x = v >>> 7; x > 0; x >>>= 7) chunk.unshift((x & 0x7f) | 0x80)
    out.push(...chunk)
  }
  return der(0x06, Buffer.from(out))
}

function utcTime(d: Date): Buffer {
  const p = (n: number) => String(n).padStart(2, '0')
  const s = `${p(d.getUTCFullYear() % 100)}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}Z`
  return der(0x17, Buffer.from(s, 'ascii'))
}

const ECDSA_SHA256 = '1.2.840.10045.4.3.2'
const COMMON_NAME = '2.5.4.3'
const SUBJECT_ALT_NAME = '2.5.29.17'

export interface SelfSigned {
  /** PEM certificate */
  cert: string
  /** PEM private key (PKCS#8) */
  key: string
}

/** A certificate valid now (for a day) for `localhost` and 127.0.0.1, signed by its own key. */
export function selfSignedCertificate(commonName = 'localhost'): SelfSigned {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' })
  const name = seq(set(seq(oid(COMMON_NAME), utf8(commonName))))
  const now = Date.now()
  const san = seq(der(0x82, Buffer.from('localhost', 'ascii')), der(0x87, Buffer.from([127, 0, 0, 1])))
  const tbs = seq(
    explicit(0, int(Buffer.from([2]))), // v3
    int(randomBytes(8)),
    seq(oid(ECDSA_SHA256)),
    name,
    seq(utcTime(new Date(now - 3_600_000)), utcTime(new Date(now + 86_400_000))),
    name,
    publicKey.export({ type: 'spki', format: 'der' }),
    explicit(3, seq(seq(oid(SUBJECT_ALT_NAME), der(0x04, san)))),
  )
  const signature = sign('sha256', tbs, privateKey)
  const certDer = seq(tbs, seq(oid(ECDSA_SHA256)), der(0x03, Buffer.concat([Buffer.from([0]), signature])))
  const lines = certDer.toString('base64').match(/.{1,64}/g)!.join('\n')
  return {
    cert: `-----BEGIN CERTIFICATE-----\n${lines}\n-----END CERTIFICATE-----\n`,
    key: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
  }
}
