/**
 * The contract's data the first screen reads: status labels, API error texts, platform names,
 * the list limit. contracts/ keeps them beside its zod schemas, so importing them from
 * '@cm/contracts' would bring zod and every schema before the admin sees anything. When the
 * remote is built, vite.config.ts (inlineContractData) replaces this module by its values
 * written out as JSON; tests and type checks read it as it is. Plain data only (checked by
 * first-screen.data.test.ts): functions or classes would not survive the JSON.
 */
export { API_ERROR_MESSAGES, IMPORT_STATUS_LABELS, LIST_LIMIT_MAX, PLATFORM_NAMES } from '@cm/contracts'
