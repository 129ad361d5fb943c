/** Every connector's conformance subjects; a new platform adds its line here. */
import type { ConformanceSubject } from './conformance.ts'
import { shoperConformanceSubjects } from './shoper/shoper.testing.ts'
import { woocommerceConformanceSubjects } from './woocommerce/woocommerce.testing.ts'
import { prestashopConformanceSubjects } from './prestashop/prestashop.testing.ts'
import { magento2ConformanceSubjects } from './magento2/magento2.testing.ts'
import { shopifyConformanceSubjects } from './shopify/shopify.testing.ts'

export function conformanceSubjects(): ReadonlyArray<ConformanceSubject<never>> {
  return [...shoperConformanceSubjects(), ...woocommerceConformanceSubjects(), ...prestashopConformanceSubjects(), ...magento2ConformanceSubjects(), ...shopifyConformanceSubjects()] as unknown as ReadonlyArray<ConformanceSubject<never>>
}
