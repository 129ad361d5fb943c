export { createCustomerMigrationModule, type AppType, type CustomerMigrationModule } from './module.ts'
export type * from './ports.ts'
export type * from './module.types.ts'
export { MODULE_ENTITIES } from './db/index.ts'
/** tables the host's MikroORM schema tools must skip (schemaGenerator.skipTables): the SQLite FTS5 search index */
export { SEARCH_SKIP_TABLES } from './db/raw/search.sql.ts'
