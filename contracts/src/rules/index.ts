/** The panel's client rules, shared by the import (backend) and the dialog (frontend). */
export * from './panel-customer.ts'
export * from './customer.formats.ts'
export * from './customer.rules.ts'
export * from './customer.prepare.ts'
export * from './login.derive.ts'
