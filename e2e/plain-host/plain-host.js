// The plain host's whole script: manifest → remote entry → mount(el, props). No shared
// modules are offered, so the remote falls back to its own vue and pinia chunks.
import { createInstance } from '@module-federation/runtime'

const el = document.getElementById('customer-migration-root')
const locale = new URLSearchParams(location.search).get('lang') === 'en' ? 'en' : 'pl'

try {
  const manifest = await (await fetch('/module.manifest.json')).json()
  const remote = manifest.frontend.remoteName
  const entryFile = manifest.frontend.entry.split('/').pop()
  const mf = createInstance({
    name: 'plainHost',
    remotes: [{ name: remote, entry: `/ext/${manifest.id}/${entryFile}`, type: 'module' }],
  })
  const mod = await mf.loadRemote(`${remote}/mount`)
  const mount = mod?.mount ?? mod?.default
  if (typeof mount !== 'function') throw new Error(`${remote}/mount exports no mount(el, props)`)
  el.replaceChildren()
  window.__customerMigration = { unmount: mount(el, { apiBase: manifest.backend.mountPath, locale }) }
  el.dataset.state = 'mounted'
} catch (err) {
  console.error(err)
  const p = document.createElement('p')
  p.className = 'error'
  p.setAttribute('role', 'alert')
  p.textContent = `Nie udało się załadować modułu: ${err instanceof Error ? err.message : String(err)}`
  el.replaceChildren(p)
  el.dataset.state = 'failed'
}
