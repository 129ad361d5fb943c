import { z } from 'zod'

/** confirmBeforeImport=false is "Nie pytaj mnie ponownie o potwierdzenie" ticked */
export const Preferences = z.object({ confirmBeforeImport: z.boolean() })
export type Preferences = z.infer<typeof Preferences>
export const UpdatePreferencesRequest = Preferences.strict()
