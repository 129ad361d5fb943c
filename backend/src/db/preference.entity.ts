import { defineEntity, p, type InferEntity } from '@mikro-orm/core'

/** Per admin: confirmBeforeImport=false is "Nie pytaj mnie ponownie o potwierdzenie". */
export const PreferenceEntity = defineEntity({
  name: 'CmPreference',
  tableName: 'xcm_preference',
  properties: {
    adminId: p.string().length(100).primary(),
    confirmBeforeImport: p.boolean().default(true),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
})
export type PreferenceRow = InferEntity<typeof PreferenceEntity>
