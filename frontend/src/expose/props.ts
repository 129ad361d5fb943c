import type { Locale } from '@cm/contracts'

/** What a host passes when it mounts the module. */
export interface ModuleProps {
  /** where the host mounted the module's routes, e.g. /api/customer-migration */
  apiBase: string
  locale?: Locale
  /** open on this screen: 'imports' (default) or 'template' (the transactional templates page) */
  initialScreen?: 'imports' | 'template'
  /** the template page of this shop */
  shopId?: string
}
