/**
 * Builds the federated remote (frontend/) that hosts load from module.manifest.json:
 * remoteEntry.js exposing the Vue component and a framework-free mount(); vue and pinia shared.
 */
import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'
import { federation } from '@module-federation/vite'

export default defineConfig({
  root: 'frontend',
  // hosts serve the built remote under this path (the mock host does)
  base: process.env.REMOTE_BASE ?? '/ext/customer-migration/',
  plugins: [
    vue(),
    federation({
      name: 'customerMigration',
      filename: 'remoteEntry.js',
      manifest: true,
      exposes: {
        './CustomerMigration': './frontend/src/expose/CustomerMigration.vue',
        './mount': './frontend/src/expose/mount.ts',
      },
      shared: { vue: { singleton: true, requiredVersion: '^3.5.0' }, pinia: { singleton: true, requiredVersion: '^4.0.0' } },
      dts: false,
    }),
  ],
  build: { outDir: 'dist', emptyOutDir: true },
})
