/**
 * The mock panel, put together the way a real host plugs the module in: read and check
 * module.manifest.json, build the ports, create the module with the factory the manifest
 * names, register its entities on the panel's ORM, hand it bree, mount its routes.
 */
import type http from 'node:http'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { AddressInfo } from 'node:net'
import * as backend from '@cm/backend'
import { createAdaptorServer } from '@hono/node-server'
import { serveStatic } from '@hono/node-server/serve-static'
import type { MikroORM } from '@mikro-orm/core'
import Bree from 'bree'
import { Hono } from 'hono'
import { html } from 'hono/html'
import { HTTPException } from 'hono/http-exception'
import type { HostConfig } from './config.ts'
import { demoShoperData, startDemoShoper } from './demo-shoper.ts'
import { otherDemoShops } from './demo-shops.ts'
import { layout } from './html.ts'
import { log as defaultLog, type Log } from './log.ts'
import { createMailSink, type MailSink } from './mail-sink.ts'
import { loadModuleManifest, MANIFEST_PATH } from './manifest-check.ts'
import { createPanelOrm, type PanelDb } from './orm.ts'
import { createPanelPorts } from './ports/panel-ports.ts'
import { hostScriptRoutes } from './host-scripts.ts'
import { remoteAssetRoutes, remoteAssets, REPO_ROOT, type RemoteAssets } from './remote-assets.ts'
import { authRoutes } from './routes/auth.routes.ts'
import { customersRoutes } from './routes/customers.routes.ts'
import { apiError } from './routes/http.ts'
import { outboxRoutes } from './routes/outbox.routes.ts'
import { pagesRoutes } from './routes/pages.routes.ts'
import { setPasswordRoutes } from './routes/set-password.routes.ts'
import { seedPanel, sharedDemoEmails } from './seed.ts'

type ModuleFactory = typeof backend.createCustomerMigrationModule

export interface MockHostUrls {
  panel: string
  login: string
  outbox: string
  apiOutbox: string
  customers: string
  manifest: string
  moduleApi: string
  /** the built remote's entry (served from frontend/dist) */
  remoteEntry: string
  plainHost: string
  smtp: string
  /** set once started, when the demo shop runs */
  demoShoper: string | null
  demoWooCommerce: string | null
  demoPrestaShop: string | null
  demoShopify: string | null
  demoMagento: string | null
}

export interface StartOptions {
  /** false: everything but the HTTP listener (tests drive `app.request`) */
  listen?: boolean
}

export interface MockHost {
  app: Hono
  urls: MockHostUrls
  orm: MikroORM
  module: ReturnType<ModuleFactory>
  outbox: MailSink
  /** the built federated remote the pages mount */
  remote: RemoteAssets
  start(opts?: StartOptions): Promise<void>
  close(): Promise<void>
}

function pickFactory(name: string): ModuleFactory {
  const factory = (backend as unknown as Record<string, unknown>)[name]
  if (typeof factory !== 'function') {
    throw new Error(`The module manifest names the factory "${name}", but the backend entry exports no such function.`)
  }
  return factory as ModuleFactory
}

function quietBreeLogger(log: Log) {
  const text = (args: unknown[]) => args.map((a) => (a instanceof Error ? a.message : String(a))).join(' ')
  return {
    info: () => undefined,
    warn: (...args: unknown[]) => log('warn', `bree: ${text(args)}`),
    error: (...args: unknown[]) => log('error', `bree: ${text(args)}`),
  }
}

export async function createMockHost(
  cfg: HostConfig,
  opts: { manifestPath?: URL | string; log?: Log } = {},
): Promise<MockHost> {
  const log = opts.log ?? defaultLog
  // refuse early, before anything is created, with a message a person can act on
  const manifestPath = opts.manifestPath ?? MANIFEST_PATH
  const manifest = loadModuleManifest(manifestPath)
  const factory = pickFactory(manifest.backend.factory)

  // the module is created before the ORM exists (the ORM needs its entities); ports fork lazily
  let orm: MikroORM | null = null
  const db: PanelDb = {
    fork() {
      if (!orm) throw new Error('The panel database is not open yet')
      return orm.em.fork()
    },
  }
  let smtpPort = cfg.smtpPort
  const ports = createPanelPorts(cfg, db, log, () => smtpPort)
  const module = factory(ports)
  orm = await createPanelOrm(cfg, module.entities)
  const panelOrm = orm

  const demoData = demoShoperData(cfg.demoCustomers)
  // some panel customers already have the e-mails of demo shops' customers (EMAIL_TAKEN at import)
  const demoShops = otherDemoShops(cfg)
  const sharedEmails = [...sharedDemoEmails(demoData.users), ...demoShops.flatMap((shop) => sharedDemoEmails(shop.accounts))]
  const seeded = await seedPanel(db, { sharedEmails })
  if (seeded.shopsCreated || seeded.customersCreated) log('info', 'panel seeded', seeded)

  const bree = new Bree({
    root: false,
    doRootCheck: false,
    logger: quietBreeLogger(log),
    acceptedExtensions: ['.ts', '.js', '.mjs'],
    jobs: [],
  })

  const outbox = createMailSink({
    port: cfg.smtpPort,
    dataDir: cfg.dataDir,
    onError: (err) => log('warn', 'smtp sink', { error: err.message }),
  })

  const app = new Hono()
  app.route(manifest.backend.mountPath, module.app)
  app.route('/', authRoutes(ports.auth, { secureCookie: cfg.publicUrl.startsWith('https:') }))
  app.route('/', customersRoutes(db, ports.auth))
  app.route('/', outboxRoutes(outbox))
  app.route('/', setPasswordRoutes((token, password) => module.redeemPasswordToken(token, password)))
  // the federated remote, built, on this origin (found through the manifest's frontend.entry)
  // the manifest's paths are relative to the manifest's own folder
  const manifestFile = manifestPath instanceof URL ? fileURLToPath(manifestPath) : path.resolve(manifestPath)
  const remote = remoteAssets(manifest, { root: path.dirname(manifestFile) })
  app.route('/', remoteAssetRoutes(remote))
  app.route('/', hostScriptRoutes())
  app.route('/', pagesRoutes({ auth: ports.auth, manifest, shops: ports.shops, templates: ports.templates, remote }))
  // a plain HTML host (no Vite, no Vue): e2e/plain-host
  app.get('/plain-host', (c) => c.redirect('/plain-host/', 301))
  app.use(
    '/plain-host/*',
    serveStatic({ root: path.join(REPO_ROOT, 'e2e/plain-host'), rewriteRequestPath: (p) => p.slice('/plain-host'.length) }),
  )
  app.get('/health', (c) => c.json({ ok: true }))
  app.get('/favicon.ico', (c) => c.body(null, 204))
  app.get('/module.manifest.json', (c) => c.json(manifest))
  app.notFound((c) => {
    if (c.req.path.startsWith('/api/')) return apiError(c, 404, 'NOT_FOUND')
    return c.html(layout('Nie znaleziono', html`<h1>Nie znaleziono strony</h1>`), 404)
  })
  app.onError((err, c) => {
    if (err instanceof HTTPException) return err.getResponse()
    log('error', 'unhandled request error', { path: c.req.path, error: err.stack ?? err.message })
    return apiError(c, 500, 'INTERNAL')
  })

  const base = cfg.publicUrl
  const urls: MockHostUrls = {
    panel: `${base}/klienci/eksport-import`,
    login: `${base}/login`,
    outbox: `${base}/outbox`,
    apiOutbox: `${base}/api/outbox`,
    customers: `${base}/api/customers`,
    manifest: `${base}/module.manifest.json`,
    moduleApi: `${base}${manifest.backend.mountPath}`,
    remoteEntry: `${base}${remote.entryUrl}`,
    plainHost: `${base}/plain-host/`,
    smtp: `smtp://127.0.0.1:${cfg.smtpPort}`,
    demoShoper: null,
    demoWooCommerce: null,
    demoPrestaShop: null,
    demoShopify: null,
    demoMagento: null,
  }

  let server: http.Server | null = null
  let demoShop: { url: string; close(): Promise<void> } | null = null
  const otherDemoShopsRunning: Array<{ url: string; close(): Promise<void> }> = []
  let moduleStarted = false
  let closing: Promise<void> | null = null

  async function start(opts: StartOptions = {}): Promise<void> {
    smtpPort = (await outbox.start()).port
    urls.smtp = `smtp://127.0.0.1:${smtpPort}`
    if (cfg.startDemoShoper) {
      demoShop = await startDemoShoper({ port: cfg.demoShoperPort, data: demoData, bucket: cfg.demoShoperBucket, listParams: cfg.demoShoperListParams, bulk: cfg.demoShoperBulk, delayMs: cfg.demoShoperDelayMs })
      urls.demoShoper = demoShop.url
    }
    for (const shop of demoShops) {
      const running = await shop.start()
      otherDemoShopsRunning.push(running)
      urls[shop.key] = running.url
    }
    // jobs resumed here may fetch from the demo shop and send mail: both are up by now
    await module.start({ orm: panelOrm, bree })
    moduleStarted = true
    if (opts.listen === false) return
    const s = createAdaptorServer({ fetch: app.fetch }) as http.Server
    await new Promise<void>((resolve, reject) => {
      s.once('error', (err) => reject(new Error(`The panel cannot listen on ${cfg.host}:${cfg.port}: ${err.message}`)))
      s.listen(cfg.port, cfg.host, () => resolve())
    })
    server = s
    log('info', 'panel listening', { address: (s.address() as AddressInfo).address, port: (s.address() as AddressInfo).port })
  }

  async function closeAll(): Promise<void> {
    // each step runs even if an earlier one failed: a half-closed host must not keep the port
    const step = async (name: string, fn: () => Promise<unknown> | unknown) => {
      try {
        await fn()
      } catch (err) {
        log('warn', `closing ${name} failed`, { error: (err as Error).message })
      }
    }
    const s = server
    server = null
    if (s) {
      await step('http', () => {
        const closed = new Promise<void>((resolve) => s.close(() => resolve()))
        // SSE streams would keep close() waiting forever
        s.closeAllConnections()
        return closed
      })
    }
    if (moduleStarted) await step('module', () => module.stop())
    await step('bree', () => bree.stop())
    await step('smtp sink', () => outbox.close())
    if (demoShop) await step('demo shop', () => demoShop!.close())
    for (const shop of otherDemoShopsRunning.splice(0)) await step('demo shop', () => shop.close())
    await step('mail transport', () => ports.mail.close())
    await step('database', () => panelOrm.close())
  }

  return {
    app,
    urls,
    orm: panelOrm,
    module,
    outbox,
    remote,
    start,
    close: () => (closing ??= closeAll()),
  }
}
