/** Permissions the module checks through the host's auth port. */
export const PERMISSIONS = {
  importCustomers: 'customers.import',
  manageTemplates: 'templates.manage',
} as const
export type Permission = (typeof PERMISSIONS)[keyof typeof PERMISSIONS]
