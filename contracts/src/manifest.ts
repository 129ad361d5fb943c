/** The shape of module.manifest.json: what a host reads, without running code, to plug the module in. */
import { z } from 'zod'

const Names = z.object({ pl: z.string().min(1), en: z.string().min(1) })

export const ModuleManifest = z
  .object({
    id: z.string().regex(/^[a-z][a-z0-9-]*$/),
    version: z.string().regex(/^\d+\.\d+\.\d+/),
    /** semver range of the host contract this module works with */
    hostContract: z.string().min(1),
    names: Names,
    mount: z.object({ page: z.string(), mode: z.string(), label: Names }),
    frontend: z.object({
      remoteName: z.string(),
      entry: z.string(),
      exposes: z.object({ component: z.string(), mount: z.string() }),
      shared: z.array(z.string()),
    }),
    backend: z.object({
      entry: z.string(),
      factory: z.string(),
      mountPath: z.string().startsWith('/'),
    }),
    jobs: z.array(z.object({ name: z.string(), entry: z.string(), description: z.string() })),
    permissions: z.array(z.object({ id: z.string(), names: Names })),
    templates: z.array(z.object({ id: z.string(), names: Names, path: z.array(z.string()) })),
    ports: z.array(z.string()),
  })
  .strict()
export type ModuleManifest = z.infer<typeof ModuleManifest>
