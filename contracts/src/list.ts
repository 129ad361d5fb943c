/** The list envelope and keyset cursor shared by /imports, /buffer and /imported. */
import { z } from 'zod'

export const LIST_LIMIT_DEFAULT = 50
export const LIST_LIMIT_MAX = 500

export const ListQuery = z.object({
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(LIST_LIMIT_MAX).default(LIST_LIMIT_DEFAULT),
  q: z.string().trim().max(200).optional(),
})

/**
 * `total` counts every match, or — with `totalCapped` — at least that many: a searched or
 * code-filtered list of a large import counts a bounded number of rows (shown as "co najmniej N").
 */
export function listOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable(), total: z.number().int(), totalCapped: z.boolean().optional() })
}
export type ListEnvelope<T> = { items: T[]; nextCursor: string | null; total: number; totalCapped?: boolean }

/** A comma-separated query value (`?state=pending,failed`) as a typed array. */
export function csvOf<T extends z.ZodType<unknown, string>>(item: T) {
  return z
    .string()
    .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))
    .pipe(z.array(item))
}
