/** Every connector's conformance subjects; a new platform adds its line here. */
import type { ConformanceSubject } from './conformance.ts'
import { shoperConformanceSubjects } from './shoper/shoper.testing.ts'
import { woocommerceConformanceSubjects } from './woocommerce/woocommerce.testing.ts'
import { prestashopConformanceSubjects } from './prestashop/prestashop.testing.ts'

export function conformanceSubjects(): ReadonlyArray<ConformanceSubject<never>> {
  return [...shoperConformanceSubjects(), ...woocommerceConformanceSubjects(), ...prestashopConformanceSubjects()] as unknown as ReadonlyArray<ConformanceSubject<never>>
}
