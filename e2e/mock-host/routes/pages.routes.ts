/**
 * The panel pages around the module: KLIENCI / Eksport i import klientów (where the federated
 * remote mounts) and Administracja / Konfiguracja wiadomości transakcyjnych. Deliberately bare.
 */
import { PERMISSIONS, TEMPLATE_ID, TEMPLATE_NAME, TEMPLATE_PATH, type ModuleManifest } from '@cm/contracts'
import { Hono } from 'hono'
import { html } from 'hono/html'
import type { ShopsPort, TemplatesPort } from '@cm/backend'
import { layout } from '../html.ts'
import type { PanelAuth } from '../ports/auth.port.ts'
import { requirePageCaller, type HostEnv } from './http.ts'

/** The panel's own modes; the module adds one more from its manifest. */
const PANEL_MODES = [
  { mode: 'export', label: 'Eksport klientów do pliku' },
  { mode: 'import-file', label: 'Import klientów z pliku' },
]

export function pagesRoutes(deps: { auth: PanelAuth; manifest: ModuleManifest; shops: ShopsPort; templates: TemplatesPort }) {
  const { manifest } = deps
  const modes = [...PANEL_MODES, { mode: manifest.mount.mode, label: manifest.mount.label.pl }]
  return new Hono<HostEnv>()
    .get('/', (c) => c.redirect('/klienci/eksport-import', 302))
    .get('/klienci/eksport-import', requirePageCaller(deps.auth), (c) => {
      const current = c.req.query('mode') ?? ''
      const isModule = current === manifest.mount.mode
      return c.html(
        layout(
          'Eksport i import klientów',
          html`<p>KLIENCI / Eksport i import klientów</p>
            <h1>Eksport i import klientów</h1>
            <nav aria-label="Tryby">
              <ul>
                ${modes.map(
                  (m) => html`<li>
                    <a href="?mode=${m.mode}" ${m.mode === current ? html`aria-current="page"` : ''}>${m.label}</a>
                  </li>`,
                )}
              </ul>
            </nav>
            ${isModule
              ? html`<section>
                  <h2>${manifest.mount.label.pl}</h2>
                  <div
                    id="customer-migration-root"
                    data-remote-name="${manifest.frontend.remoteName}"
                    data-remote-entry="${manifest.frontend.entry}"
                    data-api-base="${manifest.backend.mountPath}"
                  ></div>
                </section>`
              : current
                ? html`<p>Ten tryb nie jest dostępny w panelu testowym.</p>`
                : html`<p>Wybierz tryb.</p>`}`,
          { user: c.get('caller').login },
        ),
      )
    })
    .get('/administracja/wiadomosci-transakcyjne', requirePageCaller(deps.auth), async (c) => {
      const caller = c.get('caller')
      const canEdit = caller.permissions.includes(PERMISSIONS.manageTemplates)
      const shops = await deps.shops.list()
      const rows = await Promise.all(shops.map(async (s) => ({ shop: s, stored: await deps.templates.get(s.id, TEMPLATE_ID) })))
      return c.html(
        layout(
          'Konfiguracja wiadomości transakcyjnych',
          html`<p>Administracja / Konfiguracja wiadomości transakcyjnych</p>
            <h1>Konfiguracja wiadomości transakcyjnych</h1>
            ${canEdit ? '' : html`<p class="error">Nie masz uprawnień do zmiany szablonów (tylko podgląd).</p>`}
            <table>
              <thead><tr><th>Ścieżka</th><th>Szablon</th><th>Temat</th><th>Zmieniono</th></tr></thead>
              <tbody>
                ${rows.map(
                  ({ shop, stored }) => html`<tr data-shop-id="${shop.id}">
                    <td>${TEMPLATE_PATH.pl.slice(2).map((p) => (p === '{shop}' ? shop.name : p)).join(' / ')}</td>
                    <td>${TEMPLATE_NAME.pl}</td>
                    <td>${stored ? stored.subject : html`<em>szablon domyślny</em>`}</td>
                    <td>${stored ? stored.updatedAt : '–'}</td>
                  </tr>`,
                )}
              </tbody>
            </table>`,
          { user: caller.login },
        ),
      )
    })
}
