/**
 * Idempotent seed of the panel: three shops and a customer base of ~200, some of whom share
 * e-mails with customers of the demo Shoper shop (so the import meets EMAIL_TAKEN).
 * Seeded customers have no externalRef: the module did not create them.
 */
import type { Shop } from '@cm/contracts'
import { PanelCustomerShop } from './db/customer-shop.entity.ts'
import { PanelCustomer } from './db/customer.entity.ts'
import { PanelShop } from './db/shop.entity.ts'
import type { PanelDb } from './orm.ts'

export const SEED_SHOPS: readonly Shop[] = [
  { id: '1', name: 'Sklep główny', language: 'pl', currency: 'PLN' },
  { id: '2', name: 'Outlet', language: 'pl', currency: 'PLN' },
  { id: '3', name: 'Sklep EN', language: 'en', currency: 'EUR' },
]

export const SEED_CUSTOMER_COUNT = 200
/** every n-th demo Shoper customer's e-mail is also a panel customer's */
export const SHARED_EMAIL_EVERY = 40

const FIRST = ['Jan', 'Anna', 'Piotr', 'Katarzyna', 'Tomasz', 'Małgorzata', 'Paweł', 'Agnieszka', 'Michał', 'Zofia', 'Łukasz', 'Ewa']
const LAST = ['Nowak', 'Kowalski', 'Wiśniewski', 'Wójcik', 'Kamiński', 'Lewandowski', 'Zieliński', 'Szymański', 'Dąbrowski', 'Kozłowski']
const CITIES = [
  { city: 'Warszawa', postcode: '00-001' },
  { city: 'Kraków', postcode: '30-001' },
  { city: 'Łódź', postcode: '90-001' },
  { city: 'Wrocław', postcode: '50-001' },
  { city: 'Poznań', postcode: '60-001' },
  { city: 'Gdańsk', postcode: '80-001' },
  { city: 'Szczecin', postcode: '70-001' },
]
const STREETS = ['Długa', 'Krótka', 'Polna', 'Leśna', 'Słoneczna', 'Ogrodowa', 'Lipowa', 'Kwiatowa']

/** Every n-th demo user's e-mail (usable ones only, each once), so the clashes are predictable. */
export function sharedDemoEmails(users: ReadonlyArray<{ email: string }>, every = SHARED_EMAIL_EVERY): string[] {
  const seen = new Set<string>()
  const out: string[] = []
  for (let i = 0; i < users.length; i += every) {
    const email = users[i]?.email.trim() ?? ''
    if (!/^[^@\s]+@[^@\s]+$/.test(email) || seen.has(email.toLowerCase())) continue
    seen.add(email.toLowerCase())
    out.push(email)
  }
  return out
}

function ascii(s: string): string {
  return s
    .replace(/ł/g, 'l')
    .replace(/Ł/g, 'L')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
}

/** The panel stores e-mails as typed; the clash must still be found whatever the letter case. */
function recase(email: string, i: number): string {
  if (i % 3 === 1) return email.toUpperCase()
  if (i % 3 === 2) return email.charAt(0).toUpperCase() + email.slice(1)
  return email
}

interface SeedCustomer {
  login: string
  email: string
  data: Omit<ReturnType<typeof customerData>, 'login' | 'email'>
  shopIds: string[]
}

function customerData(n: number, email: string | null) {
  const first = FIRST[n % FIRST.length]!
  const last = LAST[(n * 7) % LAST.length]!
  const place = CITIES[n % CITIES.length]!
  const firm = n % 10 === 0
  return {
    login: `klient${String(n).padStart(3, '0')}`,
    email: email ?? `${ascii(first)}.${ascii(last)}${n}@przyklad.pl`,
    type: firm ? 'firm' : 'person',
    firstName: first,
    lastName: last,
    company: firm ? `${last} i Wspólnicy sp. z o.o.` : '',
    vatNumber: firm ? String(5260000000 + n * 13) : '',
    phone: `+48 600 ${String(100 + n).padStart(3, '0')} ${String(200 + ((n * 37) % 800)).padStart(3, '0')}`,
    birthDate: n % 4 === 0 ? `19${60 + (n % 40)}-0${1 + (n % 9)}-1${n % 10}` : '',
    street: `ul. ${STREETS[n % STREETS.length]!} ${1 + (n % 90)}`,
    postcode: place.postcode,
    city: place.city,
    countryCode: 'PL',
    language: 'pl',
    newsletterEmail: n % 2 === 0,
    newsletterSms: n % 7 === 0,
  }
}

export function seedCustomers(sharedEmails: readonly string[], count = SEED_CUSTOMER_COUNT): SeedCustomer[] {
  // spread the shared e-mails over the base instead of bunching them at the start
  const stride = Math.max(1, Math.floor(count / Math.max(1, sharedEmails.length)))
  const out: SeedCustomer[] = []
  for (let n = 1; n <= count; n++) {
    const k = (n - 1) / stride
    const shared = Number.isInteger(k) && k < sharedEmails.length ? recase(sharedEmails[k]!, k) : null
    const { login, email, ...data } = customerData(n, shared)
    const shopIds = ['1', ...(n % 3 === 0 ? ['2'] : []), ...(n % 5 === 0 ? ['3'] : [])]
    out.push({ login, email, data, shopIds })
  }
  return out
}

export async function seedPanel(
  db: PanelDb,
  opts: { sharedEmails: readonly string[]; count?: number },
): Promise<{ shopsCreated: number; customersCreated: number }> {
  return db.fork().transactional(async (em) => {
    const haveShops = new Set((await em.find(PanelShop, {})).map((s) => s.id))
    const newShops = SEED_SHOPS.filter((s) => !haveShops.has(s.id))
    for (const s of newShops) em.create(PanelShop, { ...s })

    const wanted = seedCustomers(opts.sharedEmails, opts.count)
    const have = await em.find(
      PanelCustomer,
      { $or: [{ login: { $in: wanted.map((c) => c.login) } }, { emailLower: { $in: wanted.map((c) => c.email.toLowerCase()) } }] },
      { fields: ['login', 'emailLower'] },
    )
    const takenLogins = new Set(have.map((c) => c.login))
    const takenEmails = new Set(have.map((c) => c.emailLower))
    let created = 0
    for (const c of wanted) {
      // skip what exists, including an e-mail a module import already brought in
      if (takenLogins.has(c.login) || takenEmails.has(c.email.toLowerCase())) continue
      takenEmails.add(c.email.toLowerCase())
      const customer = em.create(PanelCustomer, {
        ...c.data,
        login: c.login,
        email: c.email,
        emailLower: c.email.toLowerCase(),
        externalRef: null,
        passwordHash: null,
      })
      for (const shopId of c.shopIds) em.create(PanelCustomerShop, { customer, shopId })
      created++
    }
    await em.flush()
    return { shopsCreated: newShops.length, customersCreated: created }
  })
}
