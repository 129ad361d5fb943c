/** Every connector's conformance subjects; a new platform adds its line here. */
import type { ConformanceSubject } from './conformance.ts'
import { shoperConformanceSubjects } from './shoper/shoper.testing.ts'

export function conformanceSubjects(): ReadonlyArray<ConformanceSubject<never>> {
  return [...shoperConformanceSubjects()] as unknown as ReadonlyArray<ConformanceSubject<never>>
}
