import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['contracts/**/*.test.ts', 'backend/**/*.test.ts', 'e2e/**/*.test.ts', 'scripts/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
  },
})
