/**
 * Which list parameters Shoper documents, and what the mock does with the others. The
 * OpenAPI-generated official SDK (dreamcommerce/shoper-sdk-php, src/Raw/Users/Requests/ListUsersRequest.php)
 * documents `filters` on users for a few fields only and no `order`; user-addresses and
 * subscribers get `limit`/`page` alone. A real shop may honour more, ignore it or refuse it.
 */
import { MockQueryError } from './shoper.mock-query.ts'

/**
 * honour: every parameter works (the old mock, the most generous shop);
 * ignore: undocumented parameters are dropped silently, as if never sent;
 * refuse: an undocumented parameter answers 400 invalid_request.
 */
/** refused in `refuse` mode: a parameter the documentation does not list */
export class UndocumentedParamError extends MockQueryError {}

export type ShoperListParamsMode = 'honour' | 'ignore' | 'refuse'
export const SHOPER_LIST_PARAM_MODES: readonly ShoperListParamsMode[] = ['honour', 'ignore', 'refuse']

/** the documented `filters` fields per resource (ListUsersRequest); none elsewhere */
const DOCUMENTED_FILTERS: Record<string, ReadonlySet<string>> = {
  users: new Set(['firstname', 'lastname', 'email', 'discount', 'newsletter', 'active', 'lang_id', 'group_id', 'additional_fields', 'tags', 'tag_id']),
}

/** limit and page are documented everywhere; order nowhere on the customer resources */
const ALWAYS = new Set(['limit', 'page'])

/**
 * The query as the shop applies it: unchanged (honour), without what is undocumented (ignore),
 * or a MockQueryError for the first undocumented parameter (refuse).
 */
export function screenListParams(resource: string, params: URLSearchParams, mode: ShoperListParamsMode): URLSearchParams {
  if (mode === 'honour') return params
  const out = new URLSearchParams()
  const allowed = DOCUMENTED_FILTERS[resource] ?? new Set<string>()
  for (const [key, value] of params) {
    if (ALWAYS.has(key)) out.append(key, value)
    else if (key === 'filters') {
      const kept = screenFilters(value, allowed, mode)
      if (kept !== null) out.append(key, kept)
    } else if (mode === 'refuse') throw new UndocumentedParamError(`Unsupported parameter: ${key}`)
  }
  return out
}

function screenFilters(raw: string, allowed: ReadonlySet<string>, mode: ShoperListParamsMode): string | null {
  let parsed: unknown
  try {
    parsed = JSON.parse(raw)
  } catch {
    return raw // applyListQuery answers the 400 for broken JSON
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return raw
  const kept: Record<string, unknown> = {}
  for (const [field, cond] of Object.entries(parsed)) {
    if (allowed.has(field)) kept[field] = cond
    else if (mode === 'refuse') throw new UndocumentedParamError(`Unsupported filter: ${field}`)
  }
  return Object.keys(kept).length ? JSON.stringify(kept) : null
}
