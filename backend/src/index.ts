export { createCustomerMigrationModule, type AppType, type CustomerMigrationModule } from './module.ts'
export type * from './ports.ts'
export type * from './module.types.ts'
export { MODULE_ENTITIES } from './db/index.ts'
