import { defineConfig } from 'vitest/config'
import vue from '@vitejs/plugin-vue'

// not the root vite.config.ts: the federation plugin has no place in component tests
export default defineConfig({
  plugins: [vue()],
  test: { environment: 'happy-dom', include: ['src/**/*.test.ts'], root: import.meta.dirname },
})
