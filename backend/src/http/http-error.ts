/** Fatal request errors, coded; app.onError turns them into the error envelope. */
import { API_ERROR_MESSAGES, type ApiErrorCode, type Locale } from '@cm/contracts'
import type { ContentfulStatusCode } from 'hono/utils/http-status'

export class HttpError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: ApiErrorCode,
    message?: string,
    readonly details?: unknown,
  ) {
    super(message ?? API_ERROR_MESSAGES[code].pl)
  }
}

export function errorBody(code: ApiErrorCode, locale: Locale, message?: string, details?: unknown) {
  return { error: { code, message: message ?? API_ERROR_MESSAGES[code][locale], ...(details === undefined ? {} : { details }) } }
}

export const notFound = () => new HttpError(404, 'NOT_FOUND')
export const conflict = (message?: string) => new HttpError(409, 'IMPORT_STATE_CONFLICT', message)
