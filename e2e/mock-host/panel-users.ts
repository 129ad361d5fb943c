/** The mock panel's two users: an administrator, and an operator without template rights. */
import { PERMISSIONS } from '@cm/contracts'

export interface PanelUser {
  id: string
  login: string
  password: string
  name: string
  permissions: string[]
}

export const PANEL_USERS: readonly PanelUser[] = [
  {
    id: '1',
    login: 'admin',
    password: 'admin',
    name: 'Administrator',
    permissions: [PERMISSIONS.importCustomers, PERMISSIONS.manageTemplates],
  },
  { id: '2', login: 'operator', password: 'operator', name: 'Operator', permissions: [PERMISSIONS.importCustomers] },
]
