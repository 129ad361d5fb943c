/**
 * What every platform's demo shop is made of: Polish first names, surnames, cities with their
 * real postcode prefixes, streets, firms, the bad values real bases hold, a seeded PRNG and
 * NIPs with correct check digits. Each connector's demo-data file shapes them its platform's way.
 */

export const FEMALE = ['Anna', 'Małgorzata', 'Agnieszka', 'Katarzyna', 'Barbara', 'Ewa', 'Elżbieta', 'Zofia', 'Joanna', 'Magdalena', 'Łucja', 'Jadwiga', 'Grażyna', 'Bożena', 'Żaneta', 'Urszula', 'Krystyna', 'Halina', 'Iwona', 'Dominika']
export const MALE = ['Piotr', 'Krzysztof', 'Tomasz', 'Paweł', 'Michał', 'Łukasz', 'Jarosław', 'Grzegorz', 'Mikołaj', 'Bartłomiej', 'Wojciech', 'Jędrzej', 'Maciej', 'Józef', 'Przemysław', 'Zbigniew', 'Sławomir', 'Stanisław', 'Kacper', 'Adam']
/** [male form, female form] */
export const SURNAMES: Array<[string, string]> = [
  ['Kowalski', 'Kowalska'], ['Wiśniewski', 'Wiśniewska'], ['Wójcik', 'Wójcik'], ['Kamiński', 'Kamińska'],
  ['Lewandowski', 'Lewandowska'], ['Zieliński', 'Zielińska'], ['Szymański', 'Szymańska'], ['Woźniak', 'Woźniak'],
  ['Dąbrowski', 'Dąbrowska'], ['Kozłowski', 'Kozłowska'], ['Mazur', 'Mazur'], ['Krawczyk', 'Krawczyk'],
  ['Nowak', 'Nowak'], ['Wróbel', 'Wróbel'], ['Żak', 'Żak'], ['Łuczak', 'Łuczak'], ['Ślusarczyk', 'Ślusarczyk'],
  ['Gołębiowski', 'Gołębiowska'], ['Sęk', 'Sęk'], ['Bąk', 'Bąk'], ['Jóźwiak', 'Jóźwiak'], ['Pawłowski', 'Pawłowska'],
  ['Michalski', 'Michalska'], ['Grabowski', 'Grabowska'], ['Kałuża', 'Kałuża'], ['Gąsior', 'Gąsior'], ['Dziędziel', 'Dziędziel'],
]
/** city and its real postcode prefixes */
export const CITIES: Array<[string, string[]]> = [
  ['Warszawa', ['00', '01', '02', '03', '04']], ['Kraków', ['30', '31']], ['Łódź', ['90', '91', '92', '93', '94']],
  ['Wrocław', ['50', '51', '52', '53', '54']], ['Poznań', ['60', '61']], ['Gdańsk', ['80']], ['Szczecin', ['70', '71']],
  ['Bydgoszcz', ['85']], ['Lublin', ['20']], ['Białystok', ['15']], ['Katowice', ['40']], ['Gdynia', ['81']],
  ['Częstochowa', ['42']], ['Radom', ['26']], ['Toruń', ['87']], ['Kielce', ['25']], ['Rzeszów', ['35']],
  ['Olsztyn', ['10']], ['Zielona Góra', ['65']], ['Opole', ['45']], ['Płock', ['09']], ['Słupsk', ['76']],
  ['Świnoujście', ['72']], ['Nowy Sącz', ['33']], ['Kołobrzeg', ['78']], ['Żyrardów', ['96']], ['Łańcut', ['37']],
  ['Bielsko-Biała', ['43']], ['Gniezno', ['62']], ['Ełk', ['19']],
]
export const STREETS = ['Warszawska', 'Mickiewicza', 'Słowackiego', 'Kościuszki', 'Piłsudskiego', 'Żeromskiego', 'Długa', 'Krótka', 'Polna', 'Leśna', 'Świętokrzyska', 'Łąkowa', 'Źródlana', 'Ogrodowa', 'Różana', 'Miodowa', 'Grunwaldzka', '3 Maja', 'Jana Pawła II', 'Wrzosowa', 'Żwirki i Wigury', 'Gęsia']
export const COMPANIES = ['Drewex Sp. z o.o.', 'Piekarnia Złoty Kłos', 'Usługi Remontowe Łukasz Bąk', 'Świat Zabawek Sp. j.', 'Ogrody Zielińskich s.c.', 'Biuro Rachunkowe Księga', 'Auto-Części Gąsior', 'Pracownia Mebli Dębowych', 'Kwiaciarnia Róża', 'Żółty Młynek Sp. z o.o.']
export const MAIL_DOMAINS = ['example.com', 'example.net', 'example.org', 'poczta.example.com']
export const BAD_POSTCODES = ['3134', 'ABC-12', '31-34', '3-1345', '00 000']
export const BAD_PHONES = ['12345', 'brak', '+48 12', '000']

/** mulberry32: small, fast, good enough for demo data */
export function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const ASCII: Record<string, string> = { ą: 'a', ć: 'c', ę: 'e', ł: 'l', ń: 'n', ó: 'o', ś: 's', ź: 'z', ż: 'z' }
/** the pools' names come back a million times: their ASCII forms are kept (a bounded number of them) */
const asciiKept = new Map<string, string>()
export const asciiOf = (s: string) => {
  let a = asciiKept.get(s)
  if (a === undefined) {
    a = s.toLowerCase().replace(/[ąćęłńóśźż]/g, (c) => ASCII[c] ?? c).replace(/[^a-z0-9]+/g, '')
    if (asciiKept.size < 1000) asciiKept.set(s, a)
  }
  return a
}

/**
 * `s` as one flat string. V8 keeps a string built by `+` or a template as a tree of its parts
 * (about twice the memory of the text, for every e-mail, address and date of a million demo
 * customers) until something reads it whole; reading a character flattens it now.
 */
export function flat(s: string): string {
  s.charCodeAt(s.length - 1)
  return s
}

/** `first.last{id}@domain`, the demo shops' e-mail */
export const demoEmail = (first: string, last: string, id: number | string, domain: string) => flat(`${asciiOf(first)}.${asciiOf(last)}${id}@${domain}`)

const DAY_MS = 86_400_000
/** "YYYY-MM-DD" per day number, "HH:MM:SS" per second of the day: a date costs two look-ups, not a Date and its ISO string */
const dayText = new Map<number, string>()
const timeText: string[] = []
const two = (n: number) => (n < 10 ? `0${n}` : String(n))

/**
 * new Date(ms).toISOString() to the second: "2024-03-05T10:11:12" (sep "T"), "2024-03-05 10:11:12"
 * (sep " "), or without its milliseconds "2024-03-05T10:11:12Z" (zone "Z")
 */
export function utcDateTime(ms: number, sep: 'T' | ' ', zone: '' | 'Z' = ''): string {
  if (!Number.isFinite(ms) || ms < 0 || ms >= 253_402_300_800_000) {
    const iso = new Date(ms).toISOString()
    return zone ? iso.replace(/\.\d{3}Z$/, 'Z') : sep === 'T' ? iso.slice(0, 19) : iso.slice(0, 19).replace('T', ' ')
  }
  const day = Math.floor(ms / DAY_MS)
  let d = dayText.get(day)
  if (d === undefined) {
    d = new Date(day * DAY_MS).toISOString().slice(0, 10)
    if (dayText.size < 100_000) dayText.set(day, d)
  }
  const second = Math.floor((ms - day * DAY_MS) / 1000)
  let t = timeText[second]
  if (t === undefined) t = timeText[second] = `${two(Math.floor(second / 3600))}:${two(Math.floor(second / 60) % 60)}:${two(second % 60)}`
  return flat(d + sep + t + zone)
}

const NIP_WEIGHTS = [6, 5, 7, 2, 3, 4, 5, 6, 7]

/** A NIP with a correct check digit, written the ways Polish shops store it. */
export function nipFor(digits: (n: number) => string): string {
  for (;;) {
    const body = `${1 + Number(digits(1)) % 9}${digits(8)}`
    const check = NIP_WEIGHTS.reduce((s, w, i) => s + w * Number(body[i]), 0) % 11
    if (check === 10) continue
    const nip = `${body}${check}`
    const style = Number(digits(1)) % 3
    return style === 0 ? nip : style === 1 ? `${nip.slice(0, 3)}-${nip.slice(3, 6)}-${nip.slice(6, 8)}-${nip.slice(8)}` : `PL${nip}`
  }
}
