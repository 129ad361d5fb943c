/** Every port the module asks for, built for this panel (see backend/src/ports.ts). */
import type { ModulePorts } from '@cm/backend'
import type { HostConfig } from '../config.ts'
import { stableInstanceId } from '../instance-id.ts'
import type { Log } from '../log.ts'
import type { PanelDb } from '../orm.ts'
import { createAuthPort, type PanelAuth } from './auth.port.ts'
import { createCustomersPort } from './customers.port.ts'
import { createMailPort, type PanelMail } from './mail.port.ts'
import { createSecretsPort } from './secrets.port.ts'
import { createShopsPort } from './shops.port.ts'
import { createStoragePort } from './storage.port.ts'
import { createTemplatesPort } from './templates.port.ts'

export type PanelPorts = ModulePorts & { auth: PanelAuth; mail: PanelMail }

export function createPanelPorts(cfg: HostConfig, db: PanelDb, log: Log, smtpPort: () => number = () => cfg.smtpPort): PanelPorts {
  return {
    shops: createShopsPort(db),
    customers: createCustomersPort(db, { publicUrl: cfg.publicUrl, delayMs: cfg.panelCreateDelayMs }),
    mail: createMailPort({ host: '127.0.0.1', port: smtpPort, delayMs: cfg.mailDelayMs }),
    templates: createTemplatesPort(db),
    auth: createAuthPort(db),
    secrets: createSecretsPort(cfg),
    storage: createStoragePort(cfg),
    settings: {
      allowPrivateSources: cfg.allowPrivateSources,
      allowHttpSources: cfg.allowHttpSources,
      instanceId: process.env.INSTANCE_ID?.trim() || stableInstanceId(cfg.dataDir),
      log,
    },
  }
}
