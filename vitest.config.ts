import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'node',
          include: ['contracts/**/*.test.ts', 'backend/**/*.test.ts', 'e2e/**/*.test.ts', 'scripts/**/*.test.ts'],
          exclude: ['**/node_modules/**', '**/dist/**'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
          pool: 'forks',
        },
      },
      // components and stores: happy-dom and the Vue plugin
      'frontend/vitest.config.ts',
    ],
  },
})
