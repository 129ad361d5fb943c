/**
 * createCustomerMigrationModule(ports): what a host plugs in — the Hono routes, the entity
 * schemas, the bree jobs and start/stop (see module.manifest.json).
 */
import { randomUUID } from 'node:crypto'
import { mkdir } from 'node:fs/promises'
import { Hono } from 'hono'
import { HTTPException } from 'hono/http-exception'
import type { Locale } from '@cm/contracts'
import type { ModuleContext } from './context.ts'
import { em } from './context.ts'
import { MODULE_ENTITIES } from './db/index.ts'
import { ImportEntity } from './db/import.entity.ts'
import type { ModulePorts } from './ports.ts'
import { resolveSettings } from './settings.ts'
import type { ModuleLifecycle } from './module.types.ts'
import { JOB_FILES, WORKER_SHIM } from './jobs/job.runner.ts'
import { ImportEvents } from './pipeline/events.bus.ts'
import { startFetch } from './pipeline/fetch/fetch.runner.ts'
import { startVerify } from './pipeline/verify/verify.runner.ts'
import { recoverClaims } from './pipeline/import/import.service.ts'
import { ensureRawObjects } from './db/raw/index.ts'
import { recoverSending } from './pipeline/notify/notify.stage.ts'
import { redeemToken } from './pipeline/notify/password-token.ts'
import { rotateCredentials } from './security/credentials.store.ts'
import { type Env, authenticate } from './http/env.ts'
import { HttpError, errorBody } from './http/http-error.ts'
import { platformsRoutes } from './http/platforms.routes.ts'
import { connectionsRoutes } from './http/connections.routes.ts'
import { shopsRoutes } from './http/shops.routes.ts'
import { importsRoutes } from './http/imports.routes.ts'
import { bufferRoutes } from './http/buffer.routes.ts'
import { importedRoutes } from './http/imported.routes.ts'
import { templatesRoutes } from './http/templates.routes.ts'
import { preferencesRoutes } from './http/preferences.routes.ts'

const SWEEP_MS = 30_000

function buildApp(ctx: ModuleContext) {
  const app = new Hono<Env>()
    .use('*', authenticate(ctx))
    .route('/', platformsRoutes())
    .route('/', connectionsRoutes(ctx))
    .route('/', shopsRoutes(ctx))
    .route('/', importsRoutes(ctx))
    .route('/', bufferRoutes(ctx))
    .route('/', importedRoutes(ctx))
    .route('/', templatesRoutes(ctx))
    .route('/', preferencesRoutes(ctx))
  // an unknown path or method answers with the error envelope too (the mounted host may have its own)
  app.notFound((c) => c.json(errorBody('NOT_FOUND', (c.get('locale') as Locale | undefined) ?? 'pl'), 404))
  app.onError((err, c) => {
    const locale: Locale = (c.get('locale') as Locale | undefined) ?? 'pl'
    if (err instanceof HttpError) return c.json(errorBody(err.code, locale, err.message === '' ? undefined : localized(err, locale), err.details), err.status)
    if (err instanceof HTTPException && err.status < 500) return c.json(errorBody('VALIDATION_FAILED', locale, undefined, [{ path: '', message: err.message }]), 400)
    ctx.settings.log('error', 'unhandled error', { path: c.req.path, error: err instanceof Error ? err.message : String(err) })
    return c.json(errorBody('INTERNAL', locale), 500)
  })
  return app
}

/** HttpErrors built without a custom message speak the caller's language. */
function localized(err: HttpError, locale: Locale): string | undefined {
  return err.message === errorBody(err.code, 'pl').error.message ? undefined : err.message
}

export function createCustomerMigrationModule(ports: ModulePorts) {
  const settings = resolveSettings(ports.settings)
  const ctx: ModuleContext = {
    ports,
    settings,
    clock: ports.clock ?? { now: () => new Date() },
    events: new ImportEvents(),
    instanceId: settings.instanceId ?? `cm-${randomUUID()}`,
    runtime: null,
    jobs: new Map(),
    starting: new Set(),
    background: new Set(),
    stopping: false,
  }
  let sweeper: NodeJS.Timeout | null = null

  /** picks up what no live process runs: interrupted fetches and verifications */
  async function sweep(): Promise<void> {
    const rows = await em(ctx).find(ImportEntity, { status: { $in: ['awaiting_xml', 'verifying'] } }, { fields: ['id', 'status'] })
    for (const r of rows) {
      if (r.status === 'awaiting_xml') await startFetch(ctx, r.id)
      else await startVerify(ctx, r.id)
    }
  }

  const lifecycle: ModuleLifecycle = {
    entities: MODULE_ENTITIES as unknown as ModuleLifecycle['entities'],
    jobs: [
      { name: 'cm-fetch', path: WORKER_SHIM, description: `fetch customers from the source into the XML file (${JOB_FILES.fetch})` },
      { name: 'cm-verify', path: WORKER_SHIM, description: `verify the XML file and load the buffer (${JOB_FILES.verify})` },
    ],
    async start({ orm, bree }) {
      ctx.runtime = { orm, bree }
      ctx.stopping = false
      await ensureRawObjects(orm)
      await mkdir(ports.storage.dir, { recursive: true })
      // after a key rotation: stored credentials move to the current key before any fetch opens them
      await rotateCredentials(ctx).catch((e: unknown) => settings.log('error', 'credential re-seal failed', { error: e instanceof Error ? e.message : String(e) }))
      await recoverClaims(ctx)
      await recoverSending(ctx)
      await sweep()
      sweeper = setInterval(() => void sweep().catch((e: unknown) => settings.log('error', 'sweep failed', { error: String(e) })), SWEEP_MS)
      sweeper.unref()
    },
    async stop() {
      ctx.stopping = true
      if (sweeper) clearInterval(sweeper)
      await Promise.all([...ctx.jobs.values()].map((j) => j.cancel().catch(() => {})))
    },
    redeemPasswordToken: (token, password) => redeemToken(ctx, token, password),
  }
  return { app: buildApp(ctx), ...lifecycle }
}

export type CustomerMigrationModule = ReturnType<typeof createCustomerMigrationModule>
export type AppType = CustomerMigrationModule['app']
