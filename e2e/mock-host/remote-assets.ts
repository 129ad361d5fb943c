/**
 * The federated remote, served the way a host serves it: the BUILT files (`npm run build` →
 * frontend/dist), found through module.manifest.json (frontend.entry → its folder), on the
 * panel's own origin under /ext/<module id>/ (the `base` the remote is built with), so the
 * browser needs no CORS.
 */
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { ModuleManifest } from '@cm/contracts'
import { serveStatic } from '@hono/node-server/serve-static'
import type { MiddlewareHandler } from 'hono'
import { Hono } from 'hono'

/** the repository root (where module.manifest.json lives; its paths are relative to it) */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url))

export interface RemoteAssets {
  /** absolute folder of the built remote, e.g. /…/frontend/dist */
  distDir: string
  /** URL path prefix it is served under, e.g. /ext/customer-migration/ */
  publicPath: string
  /** URL of the remote entry, e.g. /ext/customer-migration/remoteEntry.js */
  entryUrl: string
  /** the built entry file exists */
  isBuilt(): boolean
  /** a sentence for a person, when it is not built (English for logs, Polish for the panel) */
  missingMessage(lang?: 'pl' | 'en'): string
}

/** `root`: the folder the manifest's paths are relative to (the manifest's own folder) */
export function remoteAssets(manifest: ModuleManifest, opts: { root?: string } = {}): RemoteAssets {
  const entryFile = path.resolve(opts.root ?? REPO_ROOT, manifest.frontend.entry)
  const distDir = path.dirname(entryFile)
  // the remote is built with base /ext/<id>/ (vite.config.ts); chunks are fetched from there
  const publicPath = `/ext/${manifest.id}/`
  return {
    distDir,
    publicPath,
    entryUrl: publicPath + path.basename(entryFile),
    isBuilt: () => fs.existsSync(entryFile),
    missingMessage: (lang = 'en') => {
      const file = path.relative(process.cwd(), entryFile) || entryFile
      return lang === 'pl'
        ? `Front-end modułu nie jest zbudowany: brak pliku ${file}. Uruchom \`npm run build\` (robi to też \`npm start\`) i odśwież stronę.`
        : `The module's front end is not built: ${file} is missing. Run \`npm run build\` (npm start does it for you) and reload.`
    },
  }
}

/** GET /ext/<id>/* → the built files; 503 with the reason while they are missing. */
export function remoteAssetRoutes(assets: RemoteAssets) {
  const prefix = assets.publicPath.replace(/\/$/, '')
  let files: MiddlewareHandler | null = null
  return new Hono().use(`${prefix}/*`, async (c, next) => {
    if (!assets.isBuilt()) return c.text(assets.missingMessage(), 503)
    // created once the folder exists (serveStatic complains about a missing root at creation)
    files ??= serveStatic({
      root: assets.distDir,
      rewriteRequestPath: (p) => p.slice(prefix.length),
      // a mock host: always revalidate, so a rebuild is picked up by the next reload
      onFound: (_file, ctx) => {
        ctx.header('Cache-Control', 'no-cache')
      },
    })
    return files(c, next)
  })
}
