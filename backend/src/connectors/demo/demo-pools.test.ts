/** The shared demo helpers: dates exactly as toISOString writes them, e-mails and flat strings as built. */
import { describe, expect, it } from 'vitest'
import { asciiOf, demoEmail, flat, prng, utcDateTime } from './demo-pools.ts'

describe('demo pools', () => {
  it('writes dates exactly as new Date(ms).toISOString() does, without a Date per call', () => {
    const rnd = prng(7)
    const samples = [0, 1, 999, 1000, 86_399_999, 86_400_000, Date.UTC(2024, 1, 29, 23, 59, 59, 999), 253_402_300_799_999, -1, 253_402_300_800_000, 1_500_000_000_123.7]
    for (let i = 0; i < 2000; i++) samples.push(Math.floor(rnd() * 2_000_000_000_000))
    for (const ms of samples) {
      const iso = new Date(ms).toISOString()
      expect(utcDateTime(ms, 'T')).toBe(iso.slice(0, 19))
      expect(utcDateTime(ms, ' ')).toBe(iso.slice(0, 19).replace('T', ' '))
      expect(utcDateTime(ms, 'T', 'Z')).toBe(iso.replace(/\.\d{3}Z$/, 'Z'))
    }
  })

  it('makes the demo e-mail from ASCII names; flat() keeps the text', () => {
    expect(demoEmail('Łucja', 'Wiśniewska', 12, 'example.com')).toBe('lucja.wisniewska12@example.com')
    expect(asciiOf('Żółty Młynek')).toBe('zoltymlynek')
    const built = `${'a'.repeat(20)}${'b'.repeat(20)}`
    expect(flat(built)).toBe(built)
  })
})
