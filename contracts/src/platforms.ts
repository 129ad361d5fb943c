/** Source platforms and the credential fields each one's connection form asks for. */
import { z } from 'zod'
import type { Localized } from './i18n.ts'

export const PLATFORM_IDS = ['shoper', 'woocommerce', 'prestashop', 'shopify', 'magento2'] as const
export const PlatformId = z.enum(PLATFORM_IDS)
export type PlatformId = z.infer<typeof PlatformId>

export const CredentialField = z.object({
  name: z.string(),
  type: z.enum(['url', 'text', 'password']),
  label: z.object({ pl: z.string(), en: z.string() }),
  placeholder: z.string().optional(),
  help: z.object({ pl: z.string(), en: z.string() }).optional(),
})
export type CredentialField = z.infer<typeof CredentialField>

export const Platform = z.object({
  id: PlatformId,
  name: z.string(),
  /** false: announced, not yet connectable */
  available: z.boolean(),
  credentialFields: z.array(CredentialField),
})
export type Platform = z.infer<typeof Platform>
export const PlatformList = z.object({ items: z.array(Platform) })

/** A shop address as typed by the admin; the scheme is added when missing. */
export const ShopDomain = z
  .string()
  .trim()
  .min(1)
  .max(255)
  .transform((s) => (/^https?:\/\//i.test(s) ? s : `https://${s}`))
  .pipe(z.url({ protocol: /^https?$/ }))
  .transform((s) => s.replace(/\/+$/, ''))

export const ShoperCredentials = z.object({
  platform: z.literal('shoper'),
  domain: ShopDomain,
  login: z.string().trim().min(1).max(200),
  password: z.string().min(1).max(500),
})
export type ShoperCredentials = z.infer<typeof ShoperCredentials>

/** WooCommerce REST API keys (WooCommerce > Settings > Advanced > REST API). */
export const WooCommerceCredentials = z.object({
  platform: z.literal('woocommerce'),
  domain: ShopDomain,
  consumerKey: z.string().trim().min(1).max(200),
  consumerSecret: z.string().trim().min(1).max(200),
})
export type WooCommerceCredentials = z.infer<typeof WooCommerceCredentials>

/** A PrestaShop Webservice key (Advanced Parameters > Webservice); its length is the shop's to judge. */
export const PrestaShopCredentials = z.object({
  platform: z.literal('prestashop'),
  domain: ShopDomain,
  apiKey: z.string().trim().min(1).max(200),
})
export type PrestaShopCredentials = z.infer<typeof PrestaShopCredentials>

/** One member per connectable platform; a new platform adds its own member. */
export const SourceCredentials = z.discriminatedUnion('platform', [ShoperCredentials, WooCommerceCredentials, PrestaShopCredentials])
export type SourceCredentials = z.infer<typeof SourceCredentials>

const domainField: CredentialField = {
  name: 'domain',
  type: 'url',
  label: { pl: 'Domena sklepu', en: 'Shop domain' },
  placeholder: 'https://sklep989241.shoparena.pl',
}
const loginField: CredentialField = {
  name: 'login',
  type: 'text',
  label: { pl: 'Login', en: 'Login' },
  help: {
    pl: 'Login użytkownika z uprawnieniami odczytu i zapisu w API',
    en: 'Login of a user with API read and write rights',
  },
}
const passwordField: CredentialField = { name: 'password', type: 'password', label: { pl: 'Hasło', en: 'Password' } }

const WOOCOMMERCE_FIELDS: CredentialField[] = [
  {
    ...domainField,
    placeholder: 'https://sklep.example.pl',
    help: {
      pl: 'Adres sklepu WordPress z WooCommerce. Połączenie https używa klucza wprost; sklep na samym http dostanie zapytania podpisane OAuth 1.0a.',
      en: 'The address of the WordPress shop with WooCommerce. Over https the key is sent as is; a plain-http shop gets requests signed with OAuth 1.0a.',
    },
  },
  {
    name: 'consumerKey',
    type: 'text',
    label: { pl: 'Klucz klienta (consumer key)', en: 'Consumer key' },
    placeholder: 'ck_…',
    help: {
      pl: 'Utwórz klucz w WooCommerce > Ustawienia > Zaawansowane > REST API > Dodaj klucz, dla użytkownika-administratora. Uprawnienie „Odczyt” wystarczy. Klucz zaczyna się od ck_.',
      en: 'Create a key in WooCommerce > Settings > Advanced > REST API > Add key, for an administrator user. The “Read” permission is enough. The key starts with ck_.',
    },
  },
  {
    name: 'consumerSecret',
    type: 'password',
    label: { pl: 'Sekret klienta (consumer secret)', en: 'Consumer secret' },
    placeholder: 'cs_…',
    help: {
      pl: 'Pokazywany razem z kluczem tylko raz, zaraz po jego utworzeniu; zaczyna się od cs_.',
      en: 'Shown together with the key only once, right after it is created; it starts with cs_.',
    },
  },
]

const PRESTASHOP_FIELDS: CredentialField[] = [
  {
    ...domainField,
    placeholder: 'https://sklep.example.pl',
    help: {
      pl: 'Adres sklepu PrestaShop (1.7, 8 lub 9). Webservice musi być włączony.',
      en: 'The address of the PrestaShop shop (1.7, 8 or 9). Its Webservice must be enabled.',
    },
  },
  {
    name: 'apiKey',
    type: 'password',
    label: { pl: 'Klucz API Webservice', en: 'Webservice API key' },
    help: {
      pl: 'Parametry zaawansowane > Webservice > Dodaj nowy klucz webservice: 32 znaki. Zaznacz mu GET (Wyświetl) przy customers, addresses, countries, languages i groups; zapis nie jest potrzebny.',
      en: 'Advanced Parameters > Webservice > Add new webservice key: 32 characters. Tick GET (View) for customers, addresses, countries, languages and groups; no write access is needed.',
    },
  },
]

export const PLATFORMS: readonly Platform[] = [
  { id: 'shoper', name: 'Shoper', available: true, credentialFields: [domainField, loginField, passwordField] },
  { id: 'woocommerce', name: 'WooCommerce', available: true, credentialFields: WOOCOMMERCE_FIELDS },
  { id: 'prestashop', name: 'PrestaShop', available: true, credentialFields: PRESTASHOP_FIELDS },
  { id: 'shopify', name: 'Shopify', available: false, credentialFields: [] },
  { id: 'magento2', name: 'Magento 2', available: false, credentialFields: [] },
]

export const PLATFORM_NAMES: Record<PlatformId, string> = Object.fromEntries(
  PLATFORMS.map((p) => [p.id, p.name]),
) as Record<PlatformId, string>

export type { Localized }
