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

/**
 * One way into a platform that offers several (Shopify: an app's client ID + secret, or a legacy
 * access token): the form shows a choice, then only the chosen way's fields; only those are sent.
 */
export const CredentialMode = z.object({
  id: z.string(),
  label: z.object({ pl: z.string(), en: z.string() }),
  help: z.object({ pl: z.string(), en: z.string() }).optional(),
  /** names of credentialFields; fields in no mode (the domain) are always shown */
  fields: z.array(z.string()),
})
export type CredentialMode = z.infer<typeof CredentialMode>

export const Platform = z.object({
  id: PlatformId,
  name: z.string(),
  /** false: announced, not yet connectable */
  available: z.boolean(),
  credentialFields: z.array(CredentialField),
  /** several ways in: the first is the default */
  credentialModes: z.array(CredentialMode).optional(),
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

const secretText = z.string().trim().min(1).max(500)

/**
 * Shopify: an app's client ID + client secret (Dev Dashboard apps since 2026-01-01; the connector
 * gets ~24 h tokens by the client-credentials grant), or an Admin API access token (legacy custom
 * apps, `shpat_…`). Exactly one of the two ways.
 */
export const ShopifyCredentials = z
  .object({
    platform: z.literal('shopify'),
    domain: ShopDomain,
    clientId: secretText.optional(),
    clientSecret: secretText.optional(),
    accessToken: secretText.optional(),
  })
  .refine((c) => (c.accessToken ? !c.clientId && !c.clientSecret : !!c.clientId && !!c.clientSecret), {
    message: 'Give either clientId and clientSecret, or accessToken',
  })
export type ShopifyCredentials = z.infer<typeof ShopifyCredentials>

/** Magento 2 / Adobe Commerce: an Integration's four values (System > Extensions > Integrations). */
export const Magento2Credentials = z.object({
  platform: z.literal('magento2'),
  domain: ShopDomain,
  consumerKey: secretText,
  consumerSecret: secretText,
  accessToken: secretText,
  accessTokenSecret: secretText,
})
export type Magento2Credentials = z.infer<typeof Magento2Credentials>

/** One member per connectable platform; a new platform adds its own member. */
export const SourceCredentials = z.discriminatedUnion('platform', [ShoperCredentials, WooCommerceCredentials, PrestaShopCredentials, ShopifyCredentials, Magento2Credentials])
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

const SHOPIFY_FIELDS: CredentialField[] = [
  {
    ...domainField,
    placeholder: 'https://twoj-sklep.myshopify.com',
    help: {
      pl: 'Adres sklepu w domenie myshopify.com (Ustawienia > Domeny), nie własna domena sklepu.',
      en: 'The shop’s myshopify.com address (Settings > Domains), not its own custom domain.',
    },
  },
  {
    name: 'clientId',
    type: 'text',
    label: { pl: 'Client ID aplikacji', en: 'App client ID' },
    help: {
      pl: 'Dev Dashboard > Twoja aplikacja > Ustawienia > Client ID. Aplikacja musi mieć zakres read_customers i być zainstalowana w sklepie.',
      en: 'Dev Dashboard > your app > Settings > Client ID. The app needs the read_customers scope and must be installed on the shop.',
    },
  },
  {
    name: 'clientSecret',
    type: 'password',
    label: { pl: 'Client secret aplikacji', en: 'App client secret' },
    help: {
      pl: 'Obok Client ID w ustawieniach aplikacji. Moduł wymienia go na token ważny ok. 24 h i odnawia token sam w trakcie pobierania.',
      en: 'Next to the client ID in the app’s settings. The module trades it for a token valid about 24 h and renews the token itself during the fetch.',
    },
  },
  {
    name: 'accessToken',
    type: 'password',
    label: { pl: 'Token dostępu Admin API', en: 'Admin API access token' },
    placeholder: 'shpat_…',
    help: {
      pl: 'Token starszej aplikacji niestandardowej (zaczyna się od shpat_), z zakresem read_customers. Od 1 stycznia 2026 nie da się tworzyć nowych takich aplikacji; istniejące tokeny działają.',
      en: 'The token of a legacy custom app (it starts with shpat_), with the read_customers scope. Since 1 January 2026 no new such apps can be made; existing tokens keep working.',
    },
  },
]
const SHOPIFY_MODES: CredentialMode[] = [
  {
    id: 'client',
    label: { pl: 'Aplikacja z Dev Dashboard (Client ID i secret)', en: 'Dev Dashboard app (client ID and secret)' },
    help: { pl: 'Sposób dla aplikacji tworzonych od 2026 r.', en: 'The way for apps made since 2026.' },
    fields: ['clientId', 'clientSecret'],
  },
  {
    id: 'token',
    label: { pl: 'Token dostępu (starsza aplikacja, shpat_)', en: 'Access token (legacy app, shpat_)' },
    help: { pl: 'Dla sklepów, które mają jeszcze token starszej aplikacji niestandardowej.', en: 'For shops that still have a legacy custom app’s token.' },
    fields: ['accessToken'],
  },
]

const MAGENTO_FIELDS: CredentialField[] = [
  {
    ...domainField,
    placeholder: 'https://sklep.example.pl',
    help: {
      pl: 'Adres sklepu Magento 2 / Adobe Commerce (2.4). Logowanie loginem i hasłem administratora nie jest możliwe: domyślnie włączone 2FA blokuje tokeny administratora, dlatego moduł używa integracji.',
      en: 'The Magento 2 / Adobe Commerce (2.4) shop’s address. Signing in with an admin login and password is not offered: 2FA, on by default, blocks admin tokens, so the module uses an Integration.',
    },
  },
  {
    name: 'consumerKey',
    type: 'text',
    label: { pl: 'Consumer Key', en: 'Consumer Key' },
    help: {
      pl: 'System > Rozszerzenia > Integracje > Dodaj nową integrację: w zakładce API zaznacz Klienci (Magento_Customer::customer) i Sklepy; zapisz, kliknij Aktywuj i Zezwól. Cztery wartości pokażą się po aktywacji.',
      en: 'System > Extensions > Integrations > Add New Integration: on the API tab tick Customers (Magento_Customer::customer) and Stores; save, click Activate and Allow. The four values are shown after activation.',
    },
  },
  { name: 'consumerSecret', type: 'password', label: { pl: 'Consumer Secret', en: 'Consumer Secret' } },
  { name: 'accessToken', type: 'password', label: { pl: 'Access Token', en: 'Access Token' } },
  {
    name: 'accessTokenSecret',
    type: 'password',
    label: { pl: 'Access Token Secret', en: 'Access Token Secret' },
    help: {
      pl: 'Wszystkie cztery wartości znajdziesz w szczegółach aktywnej integracji (Integracje > Edytuj > Szczegóły integracji).',
      en: 'All four values are in the active integration’s details (Integrations > Edit > Integration Details).',
    },
  },
]

export const PLATFORMS: readonly Platform[] = [
  { id: 'shoper', name: 'Shoper', available: true, credentialFields: [domainField, loginField, passwordField] },
  { id: 'woocommerce', name: 'WooCommerce', available: true, credentialFields: WOOCOMMERCE_FIELDS },
  { id: 'prestashop', name: 'PrestaShop', available: true, credentialFields: PRESTASHOP_FIELDS },
  { id: 'shopify', name: 'Shopify', available: true, credentialFields: SHOPIFY_FIELDS, credentialModes: SHOPIFY_MODES },
  { id: 'magento2', name: 'Magento 2', available: true, credentialFields: MAGENTO_FIELDS },
]

export const PLATFORM_NAMES: Record<PlatformId, string> = Object.fromEntries(
  PLATFORMS.map((p) => [p.id, p.name]),
) as Record<PlatformId, string>

export type { Localized }
