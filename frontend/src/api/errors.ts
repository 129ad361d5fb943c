/** One place that turns any failure into a translated sentence that says what to do. */
import type { Composer } from 'vue-i18n'
import { ApiError } from './client.ts'

export function errorText(t: Composer['t'], e: unknown): string {
  if (e instanceof ApiError) {
    if (e.code === 'NETWORK') return t('app.network')
    const key = `apiError.${e.code}`
    const translated = t(key)
    return translated === key ? e.message || t('app.unexpected') : translated
  }
  return t('app.unexpected')
}
