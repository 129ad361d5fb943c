import { z } from 'zod'

export const Shop = z.object({
  id: z.string(),
  name: z.string(),
  language: z.string(),
  currency: z.string(),
})
export type Shop = z.infer<typeof Shop>
export const ShopList = z.object({ items: z.array(Shop) })
export const ShopRef = Shop.pick({ id: true, name: true })
export type ShopRef = z.infer<typeof ShopRef>
