/**
 * Builds the federated remote (frontend/) that hosts load from module.manifest.json:
 * remoteEntry.js exposing the Vue component and a framework-free mount(); vue and pinia shared.
 * What a host loads before the first screen is kept small (scripts/bench/remote.ts measures it,
 * `npm run build` prints it): the other screens, dialogs, zod and the contract's schemas load
 * when they are used.
 */
import { fileURLToPath } from 'node:url'
import { defineConfig, type Plugin } from 'vite'
import vue from '@vitejs/plugin-vue'
import { federation } from '@module-federation/vite'
import { inlinedModule } from './frontend/src/contract/inline.ts'

/**
 * The contract data of the first screen (frontend/src/contract/first-screen.data.ts) as JSON
 * literals, evaluated here with tsx: read from '@cm/contracts' it would pull zod and every
 * schema into the first chunk, because contracts keeps its labels beside its schemas.
 */
function inlineContractData(): Plugin {
  const file = fileURLToPath(new URL('./frontend/src/contract/first-screen.data.ts', import.meta.url))
  return {
    name: 'cm:inline-contract-data',
    apply: 'build',
    async load(id) {
      if (id.split('?')[0] !== file) return null
      const { tsImport } = await import('tsx/esm/api')
      const data = (await tsImport(file, import.meta.url)) as Record<string, unknown>
      return inlinedModule({ ...data })
    },
  }
}

export default defineConfig({
  root: 'frontend',
  // hosts serve the built remote under this path (the mock host does)
  base: process.env.REMOTE_BASE ?? '/ext/customer-migration/',
  define: {
    // vue-i18n's bundler flags: the module uses the Composition API only, with no <i18n-t> or
    // v-t, so the legacy API, the global components and the devtools hooks are left out; its
    // texts are message functions (frontend/src/i18n/compile.ts), so the compiler is too
    __VUE_I18N_LEGACY_API__: 'false',
    __VUE_I18N_FULL_INSTALL__: 'false',
    __INTLIFY_PROD_DEVTOOLS__: 'false',
    __INTLIFY_DROP_MESSAGE_COMPILER__: 'true',
  },
  plugins: [
    vue(),
    inlineContractData(),
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
