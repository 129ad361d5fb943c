/**
 * The panel page's host script (runs in the browser; bundled by host-scripts.ts with esbuild).
 * It does what a non-vite host does with module.manifest.json: @module-federation/runtime's
 * createInstance + loadRemote('<remoteName>/mount') → mount(el, props). The panel offers its
 * vue and pinia as shared singletons, so the remote uses them instead of its own copies.
 */
import { createInstance } from '@module-federation/runtime'
import * as Pinia from 'pinia'
import * as Vue from 'vue'

declare const __PINIA_VERSION__: string

type MountFn = (el: Element, props: Record<string, unknown>) => () => void

export interface MountedModule {
  unmount(): void
}

declare global {
  interface Window {
    /** the mounted module, for a person poking at the page and for tests */
    __customerMigration?: MountedModule
  }
}

function propsOf(el: HTMLElement): Record<string, unknown> {
  const d = el.dataset
  const props: Record<string, unknown> = { apiBase: d.apiBase, locale: d.locale ?? 'pl' }
  if (d.initialScreen) props.initialScreen = d.initialScreen
  if (d.shopId) props.shopId = d.shopId
  return props
}

function showError(el: HTMLElement, err: unknown): void {
  const p = document.createElement('p')
  p.className = 'error'
  p.setAttribute('role', 'alert')
  p.textContent = `Nie udało się załadować modułu: ${err instanceof Error ? err.message : String(err)}`
  el.replaceChildren(p)
  el.dataset.state = 'failed'
}

async function main(): Promise<void> {
  const el = document.getElementById('customer-migration-root')
  if (!el) return
  const remoteName = el.dataset.remoteName!
  try {
    const mf = createInstance({
      name: 'mockPanel',
      remotes: [{ name: remoteName, entry: el.dataset.remoteEntry!, type: 'module' }],
      shared: {
        vue: { version: Vue.version, lib: () => Vue, shareConfig: { singleton: true, requiredVersion: '^3.5.0' } },
        pinia: { version: __PINIA_VERSION__, lib: () => Pinia, shareConfig: { singleton: true, requiredVersion: '^4.0.0' } },
      },
    })
    const mod = await mf.loadRemote<{ mount?: MountFn; default?: MountFn }>(`${remoteName}/mount`)
    const mount = mod?.mount ?? mod?.default
    if (typeof mount !== 'function') throw new Error(`${remoteName}/mount exports no mount(el, props)`)
    const unmount = mount(el, propsOf(el))
    window.__customerMigration = { unmount }
    el.dataset.state = 'mounted'
  } catch (err) {
    console.error(err)
    showError(el, err)
  }
}

void main()
