import { ImportEntity } from './import.entity.ts'
import { BufferCustomerEntity } from './buffer-customer.entity.ts'
import { PasswordTokenEntity } from './password-token.entity.ts'
import { PreferenceEntity } from './preference.entity.ts'
import { ImportCountEntity } from './import-count.entity.ts'

export { ImportEntity, BufferCustomerEntity, PasswordTokenEntity, PreferenceEntity, ImportCountEntity }
export const MODULE_ENTITIES = [ImportEntity, BufferCustomerEntity, PasswordTokenEntity, PreferenceEntity, ImportCountEntity]
