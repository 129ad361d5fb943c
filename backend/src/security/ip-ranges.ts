/**
 * Which IP addresses a source URL may never reach (SSRF). Covered:
 * - IPv4: 0/8 "this network", 10/8, 100.64/10 CGNAT, 127/8, 169.254/16 link-local, 172.16/12,
 *   192.0.0/24 IETF, 192.0.2/24 + 198.51.100/24 + 203.0.113/24 documentation, 192.88.99/24 6to4
 *   relay, 192.168/16, 198.18/15 benchmarking, 224/4 multicast, 240/4 reserved incl. broadcast.
 * - IPv6: only global unicast 2000::/3 may be reached (so ::, ::1, fc00::/7, fe80::/10, fec0::/10,
 *   ff00::/8, 100::/64, 64:ff9b:1::/48 are out), minus 2001::/23 (Teredo and IETF assignments),
 *   2001:db8::/32 and 3fff::/20 (documentation).
 * - IPv6 forms that carry an IPv4 address are judged by that address: ::ffff:0:0/96 (mapped, also
 *   written ::ffff:7f00:1), ::ffff:0:0:0/96 (SIIT), 64:ff9b::/96 (NAT64), 2002::/16 (6to4).
 *   The deprecated IPv4-compatible ::/96 is refused as a whole.
 * Anything that does not parse as an address is refused (fail closed).
 */
import { isIPv4, isIPv6 } from 'node:net'

type V4Range = [base: number, prefix: number]

const v4 = (a: string): number => a.split('.').reduce((n, o) => n * 256 + Number(o), 0)
const V4_FORBIDDEN: V4Range[] = (
  [
    ['0.0.0.0', 8],
    ['10.0.0.0', 8],
    ['100.64.0.0', 10],
    ['127.0.0.0', 8],
    ['169.254.0.0', 16],
    ['172.16.0.0', 12],
    ['192.0.0.0', 24],
    ['192.0.2.0', 24],
    ['192.88.99.0', 24],
    ['192.168.0.0', 16],
    ['198.18.0.0', 15],
    ['198.51.100.0', 24],
    ['203.0.113.0', 24],
    ['224.0.0.0', 4],
    ['240.0.0.0', 4],
  ] as const
).map(([a, p]) => [v4(a), p])

function inV4Range(ip: number, [base, prefix]: V4Range): boolean {
  const size = 2 ** (32 - prefix)
  return Math.floor(ip / size) === Math.floor(base / size)
}

export function isForbiddenV4Number(ip: number): boolean {
  return V4_FORBIDDEN.some((r) => inV4Range(ip, r))
}

/** 16 bytes of an IPv6 address (zone id dropped), or null when it is not one. */
export function parseIPv6(text: string): Uint8Array | null {
  const ip = text.replace(/^\[|\]$/g, '').replace(/%.*$/, '')
  if (!isIPv6(ip)) return null
  let head = ip
  const tailV4: number[] = []
  const dotted = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(ip)
  if (dotted) {
    head = dotted[1]!.endsWith('::') ? dotted[1]! : dotted[1]!.slice(0, -1)
    const n = v4(dotted[2]!)
    tailV4.push(Math.floor(n / 65536), n % 65536)
  }
  const [left, right] = head.includes('::') ? head.split('::') : [head, undefined]
  const words = (s: string | undefined): number[] => (s ? s.split(':').filter(Boolean).map((w) => parseInt(w, 16)) : [])
  const l = words(left)
  const r = [...words(right), ...tailV4]
  const zeros = right === undefined ? 0 : 8 - l.length - r.length
  const all = [...l, ...new Array<number>(zeros).fill(0), ...r]
  if (all.length !== 8) return null
  const bytes = new Uint8Array(16)
  all.forEach((w, i) => {
    bytes[2 * i] = w >> 8
    bytes[2 * i + 1] = w & 0xff
  })
  return bytes
}

const startsWith = (b: Uint8Array, prefix: number[], bits: number): boolean => {
  for (let i = 0; i < bits; i++) {
    const byte = Math.floor(i / 8)
    const mask = 0x80 >> i % 8
    if ((b[byte]! & mask) !== ((prefix[byte] ?? 0) & mask)) return false
  }
  return true
}
const v4At = (b: Uint8Array, at: number): number => ((b[at]! << 24) >>> 0) + (b[at + 1]! << 16) + (b[at + 2]! << 8) + b[at + 3]!

function isForbiddenV6(b: Uint8Array): boolean {
  // forms that embed an IPv4 address: judged by that address
  if (startsWith(b, [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff], 96)) return isForbiddenV4Number(v4At(b, 12))
  if (startsWith(b, [0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0], 96)) return isForbiddenV4Number(v4At(b, 12))
  if (startsWith(b, [0, 0x64, 0xff, 0x9b], 96)) return isForbiddenV4Number(v4At(b, 12))
  if (startsWith(b, [0x20, 0x02], 16)) return isForbiddenV4Number(v4At(b, 2))
  // everything outside global unicast: ::, ::1, IPv4-compatible, ULA, link-local, multicast…
  if (!startsWith(b, [0x20], 3)) return true
  if (startsWith(b, [0x20, 0x01, 0x00], 23)) return true // 2001::/23: Teredo, IETF assignments
  if (startsWith(b, [0x20, 0x01, 0x0d, 0xb8], 32)) return true // documentation
  if (startsWith(b, [0x3f, 0xff], 20)) return true // documentation (RFC 9637)
  return false
}

/** True for every address a user-supplied source URL must not reach (see the file comment). */
export function isForbiddenAddress(ip: string): boolean {
  const text = ip.trim()
  if (isIPv4(text)) return isForbiddenV4Number(v4(text))
  const bytes = parseIPv6(text)
  return bytes === null ? true : isForbiddenV6(bytes)
}
