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

/** One member per connectable platform; a new platform adds its own member. */
export const SourceCredentials = z.discriminatedUnion('platform', [ShoperCredentials])
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

export const PLATFORMS: readonly Platform[] = [
  { id: 'shoper', name: 'Shoper', available: true, credentialFields: [domainField, loginField, passwordField] },
  { id: 'woocommerce', name: 'WooCommerce', available: false, credentialFields: [] },
  { id: 'prestashop', name: 'PrestaShop', available: false, credentialFields: [] },
  { id: 'shopify', name: 'Shopify', available: false, credentialFields: [] },
  { id: 'magento2', name: 'Magento 2', available: false, credentialFields: [] },
]

export const PLATFORM_NAMES: Record<PlatformId, string> = Object.fromEntries(
  PLATFORMS.map((p) => [p.id, p.name]),
) as Record<PlatformId, string>

export type { Localized }
