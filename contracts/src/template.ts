/** The transactional template "Mail po zaimportowaniu klientów przez support". */
import { z } from 'zod'

export const TEMPLATE_ID = 'customer-imported'
export const TEMPLATE_NAME = {
  pl: 'Mail po zaimportowaniu klientów przez support',
  en: 'Mail after customers were imported by support',
} as const
/** Administracja / Konfiguracja wiadomości transakcyjnych / (shop) / Klienci / Zarządzanie kontem */
export const TEMPLATE_PATH = {
  pl: ['Administracja', 'Konfiguracja wiadomości transakcyjnych', '{shop}', 'Klienci', 'Zarządzanie kontem'],
  en: ['Administration', 'Transactional messages configuration', '{shop}', 'Customers', 'Account management'],
} as const

export const TEMPLATE_PLACEHOLDERS = ['firstName', 'lastName', 'login', 'email', 'shopName', 'setPasswordLink', 'linkExpiresAt'] as const
export type TemplatePlaceholder = (typeof TEMPLATE_PLACEHOLDERS)[number]

export const Template = z.object({
  shopId: z.string(),
  subject: z.string().min(1).max(300),
  body: z.string().min(1).max(50_000),
  updatedAt: z.string().nullable(),
  /** the body must carry the set-password link, or the customer could never log in */
  placeholders: z.array(z.string()),
})
export type Template = z.infer<typeof Template>

/** The template as the API shows it to one caller: may they change it? */
export const TemplateForCaller = Template.extend({ editable: z.boolean() })
export type TemplateForCaller = z.infer<typeof TemplateForCaller>

export const UpdateTemplateRequest = z
  .object({
    subject: z.string().trim().min(1).max(300),
    body: z
      .string()
      .min(1)
      .max(50_000)
      .refine((b) => b.includes('{{setPasswordLink}}'), {
        message: 'The body must contain {{setPasswordLink}} / Treść musi zawierać {{setPasswordLink}}',
      }),
  })
  .strict()
export type UpdateTemplateRequest = z.infer<typeof UpdateTemplateRequest>

export const DEFAULT_TEMPLATE = {
  subject: 'Twoje konto w sklepie {{shopName}} czeka na Ciebie',
  body: [
    'Dzień dobry {{firstName}} {{lastName}},',
    '',
    'przenieśliśmy Twoje konto do nowego sklepu {{shopName}}. Twój login: {{login}}.',
    'Aby się zalogować, ustaw nowe hasło: {{setPasswordLink}}',
    'Link jest jednorazowy i ważny do {{linkExpiresAt}}.',
    '',
    'Pozdrawiamy,',
    'Zespół {{shopName}}',
  ].join('\n'),
} as const
