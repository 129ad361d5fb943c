/**
 * The browser scripts of the mock host, bundled on first request with esbuild (in memory,
 * cached): no build step of their own, nothing written to disk.
 * - /host/panel-host.js: the panel page's host (MF runtime + the panel's vue and pinia, shared)
 * - /host/mf-runtime.js: @module-federation/runtime as one ES module, for the plain HTML
 *   host's importmap (what a CDN such as esm.sh would hand out)
 */
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { Hono } from 'hono'

const require = createRequire(import.meta.url)

const HERE = fileURLToPath(new URL('.', import.meta.url))

/** what each script is made of (a module's source, resolved from this folder) */
const ENTRIES = {
  'panel-host.js': "import './client/panel-host.ts'",
  'mf-runtime.js': "export * from '@module-federation/runtime'",
} as const

export type HostScript = keyof typeof ENTRIES

function piniaVersion(): string {
  return (require('pinia/package.json') as { version: string }).version
}

async function bundle(name: HostScript): Promise<string> {
  const out = await build({
    stdin: { contents: ENTRIES[name], resolveDir: HERE, sourcefile: name, loader: 'ts' },
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    legalComments: 'none',
    logLevel: 'silent',
    define: {
      'process.env.NODE_ENV': '"production"',
      __VUE_OPTIONS_API__: 'true',
      __VUE_PROD_DEVTOOLS__: 'false',
      __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false',
      __PINIA_VERSION__: JSON.stringify(piniaVersion()),
    },
  })
  return out.outputFiles[0]!.text
}

export function hostScriptRoutes() {
  const cache = new Map<HostScript, Promise<string>>()
  const get = (name: HostScript) => {
    let p = cache.get(name)
    if (!p) {
      p = bundle(name)
      // a failed bundle is tried again on the next request
      p.catch(() => cache.delete(name))
      cache.set(name, p)
    }
    return p
  }
  return new Hono().get('/host/:name', async (c) => {
    const name = c.req.param('name')
    if (!(name in ENTRIES)) return c.notFound()
    const js = await get(name as HostScript)
    return c.body(js, 200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-cache' })
  })
}
