/**
 * Number, date, size and plural formatting for the flow screens, in the UI's language
 * (Polish conventions by default: "1 234,5 kB", "12.05.2025, 14:03", "5 klientów").
 */
import { useI18n } from './index.ts'
import type { ImportSummary } from '@cm/contracts'
import { PLATFORM_NAMES } from '../contract/first-screen.data.ts'

const TAGS: Record<string, string> = { pl: 'pl-PL', en: 'en-GB' }

export function useFormat() {
  const { t, locale } = useI18n()
  const tag = () => TAGS[locale.value] ?? 'pl-PL'

  function int(n: number): string {
    return new Intl.NumberFormat(tag(), { maximumFractionDigits: 0 }).format(n)
  }
  function decimal(n: number, digits = 1): string {
    return new Intl.NumberFormat(tag(), { maximumFractionDigits: digits }).format(n)
  }
  /** `ratio` from 0 to 1 */
  function percent(ratio: number): string {
    return new Intl.NumberFormat(tag(), { style: 'percent', maximumFractionDigits: 0 }).format(ratio)
  }
  function date(iso: string | null | undefined): string {
    if (!iso) return '—'
    const d = new Date(iso)
    if (Number.isNaN(d.getTime())) return '—'
    return new Intl.DateTimeFormat(tag(), { dateStyle: 'short', timeStyle: 'short' }).format(d)
  }
  function bytes(n: number): string {
    if (n < 1024) return `${int(n)} B`
    if (n < 1024 * 1024) return `${decimal(n / 1024)} kB`
    return `${decimal(n / (1024 * 1024))} MB`
  }
  /** `<key>.one|few|many|other` chosen by the language's plural rules, with `{n}` formatted */
  function plural(key: string, n: number, params: Record<string, unknown> = {}): string {
    const form = new Intl.PluralRules(tag()).select(n)
    return t(`${key}.${form}`, { ...params, n: int(n) })
  }
  /** "Shoper · https://sklep.shoparena.pl", or "Plik XML · klienci.xml" for an uploaded file */
  function source(item: Pick<ImportSummary, 'platform' | 'domain' | 'origin'>): string {
    return `${sourceKind(item)} · ${item.domain}`
  }
  /** the platform's name, or what stands in for it when the import came from a file */
  function sourceKind(item: Pick<ImportSummary, 'platform' | 'origin'>): string {
    if (item.platform) return PLATFORM_NAMES[item.platform]
    return t(item.origin === 'upload' ? 'flow.source.uploaded' : 'flow.source.unknownPlatform')
  }
  return { int, decimal, percent, date, bytes, plural, source, sourceKind, locale }
}
