/**
 * The test files that open reliability cases (`reliabilityCase(` in backend/src/testing/reliability.ts):
 * `npm run test:reliability` runs exactly these, and the report names any of them that wrote no
 * record. reliability-files.test.ts fails when this list and the tree disagree.
 */
export const RELIABILITY_FILES = [
  'backend/src/http/permissions.test.ts',
  'backend/src/http/requests.fuzz.test.ts',
  'backend/src/http/ssrf.routes.test.ts',
  'backend/src/pipeline/fetch/fetch.faults.test.ts',
  'backend/src/pipeline/verify/verify.partial.test.ts',
  'backend/src/pipeline/xml/xml.conformance.test.ts',
  'backend/src/pipeline/xml/xml.limits.test.ts',
  'backend/src/pipeline/xml/xml.memory.test.ts',
  'backend/src/pipeline/xml/xml.verifier.test.ts',
  'backend/src/security/address-guard.tls.test.ts',
  'backend/src/security/credentials.leak.test.ts',
  'backend/src/security/credentials.rotation.test.ts',
  'e2e/flow/concurrency.test.ts',
  'e2e/flow/crash-resume.test.ts',
  'e2e/flow/crash-stages.test.ts',
  'e2e/mock-host/private-sources.test.ts',
] as const
