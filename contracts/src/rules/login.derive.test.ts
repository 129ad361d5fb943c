import { describe, expect, it } from 'vitest'
import { allocateLogin, deriveLoginBase, isValidLogin } from './login.derive.ts'

describe('deriveLoginBase', () => {
  it.each([
    ['jan.kowalski@example.pl', 'jankowalski'],
    ['Jan.Kowalski@Example.PL', 'jankowalski'],
    ['  anna_nowak+sklep@wp.pl ', 'annanowaksklep'],
    ['łukasz.żółć@o2.pl', 'lukaszzolc'],
    ['ŁUKASZ.ŚWIĄTEK@gmail.com', 'lukaszswiatek'],
    ['grzegorz.brzęczyszczykiewicz@interia.pl', 'grzegorzbrzeczyszczykiewicz'],
    ['jürgen.weiß@example.de', 'jurgenweiss'],
    ['marek1985@onet.pl', 'marek1985'],
    ['"dziwny@adres"@example.pl', 'dziwnyadres'],
    ['___@example.pl', 'klient'],
    ['', 'klient'],
    ['bez-malpy', 'bezmalpy'],
  ])('%s → %s', (email, login) => {
    expect(deriveLoginBase(email)).toBe(login)
    expect(isValidLogin(deriveLoginBase(email))).toBe(true)
  })

  it('leaves room for a numeric suffix within the panel limit', () => {
    const base = deriveLoginBase(`${'a'.repeat(100)}@example.pl`)
    expect(base).toBe('a'.repeat(58))
  })
})

describe('isValidLogin', () => {
  it.each([
    ['jankowalski', true],
    ['jan2', true],
    ['2024', true],
    ['a'.repeat(64), true],
    ['a'.repeat(65), false],
    ['', false],
    ['Jan', false],
    ['jan.kowalski', false],
    ['jan_kowalski', false],
    ['łukasz', false],
    ['jan kowalski', false],
  ])('%s → %s', (login, ok) => {
    expect(isValidLogin(login)).toBe(ok)
  })
})

describe('allocateLogin', () => {
  /** a panel that knows some logins; records every lookup */
  function panel(taken: string[]) {
    const set = new Set(taken)
    const calls: string[][] = []
    const isTaken = async (candidates: string[]) => {
      calls.push(candidates)
      return new Set(candidates.filter((c) => set.has(c)))
    }
    return { isTaken, calls }
  }

  it('takes the base when it is free, with one lookup', async () => {
    const p = panel(['annanowak'])
    expect(await allocateLogin('jankowalski', p.isTaken)).toBe('jankowalski')
    expect(p.calls).toHaveLength(1)
    expect(p.calls[0]?.slice(0, 3)).toEqual(['jankowalski', 'jankowalski2', 'jankowalski3'])
  })

  it('takes the first free numbered login', async () => {
    const p = panel(['jan', 'jan2', 'jan3', 'jan5'])
    expect(await allocateLogin('jan', p.isTaken)).toBe('jan4')
    expect(p.calls).toHaveLength(1)
  })

  it('asks the next batch only when a whole batch is taken', async () => {
    const p = panel(['anna', ...Array.from({ length: 14 }, (_, i) => `anna${i + 2}`)])
    expect(await allocateLogin('anna', p.isTaken, { batchSize: 10 })).toBe('anna16')
    expect(p.calls).toEqual([
      ['anna', ...Array.from({ length: 9 }, (_, i) => `anna${i + 2}`)],
      Array.from({ length: 10 }, (_, i) => `anna${i + 11}`),
    ])
  })

  it('keeps base + suffix within 64 characters', async () => {
    const base = 'b'.repeat(64)
    const p = panel([base])
    const login = await allocateLogin(base, p.isTaken)
    expect(login).toBe(`${'b'.repeat(63)}2`)
    expect(isValidLogin(login)).toBe(true)
  })

  it('derives a valid base from an invalid one', async () => {
    const p = panel([])
    expect(await allocateLogin('Łukasz.Nowak', p.isTaken)).toBe('lukasznowak')
  })
})
