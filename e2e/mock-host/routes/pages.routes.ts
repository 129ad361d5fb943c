/**
 * The panel pages around the module: KLIENCI / Eksport i import klientów (where the federated
 * remote mounts, in the mode the manifest names) and Administracja / Konfiguracja wiadomości
 * transakcyjnych (where it mounts on its template screen for one shop). Deliberately bare:
 * the module brings the real UI.
 */
import { PERMISSIONS, TEMPLATE_ID, TEMPLATE_NAME, TEMPLATE_PATH, type Locale, type ModuleManifest } from '@cm/contracts'
import { Hono } from 'hono'
import { html } from 'hono/html'
import type { ShopsPort, TemplatesPort } from '@cm/backend'
import { layout } from '../html.ts'
import type { PanelAuth } from '../ports/auth.port.ts'
import type { RemoteAssets } from '../remote-assets.ts'
import { requirePageCaller, type HostEnv } from './http.ts'

/** The panel's own modes; the module adds one more from its manifest. */
const PANEL_MODES = [
  { mode: 'export', label: { pl: 'Eksport klientów do pliku', en: 'Export customers to a file' } },
  { mode: 'import-file', label: { pl: 'Import klientów z pliku', en: 'Import customers from a file' } },
]

const TEXT = {
  pl: {
    crumbs: 'KLIENCI / Eksport i import klientów',
    title: 'Eksport i import klientów',
    modes: 'Tryby',
    choose: 'Wybierz tryb.',
    unavailable: 'Ten tryb nie jest dostępny w panelu testowym.',
    language: 'Język modułu',
    loading: 'Ładowanie modułu…',
  },
  en: {
    crumbs: 'CUSTOMERS / Customer export and import',
    title: 'Customer export and import',
    modes: 'Modes',
    choose: 'Choose a mode.',
    unavailable: 'This mode is not available in the test panel.',
    language: 'Module language',
    loading: 'Loading the module…',
  },
} as const

function localeOf(raw: string | undefined): Locale {
  return raw === 'en' ? 'en' : 'pl'
}

/** the place the remote mounts into, and the host script that mounts it (or why it cannot) */
function remoteMount(remote: RemoteAssets, manifest: ModuleManifest, props: { locale: Locale; initialScreen?: string; shopId?: string }) {
  if (!remote.isBuilt()) {
    return html`<div id="customer-migration-root" data-state="not-built">
      <p class="error" role="alert">${remote.missingMessage(props.locale)}</p>
    </div>`
  }
  return html`<div
      id="customer-migration-root"
      data-state="loading"
      data-remote-name="${manifest.frontend.remoteName}"
      data-remote-entry="${remote.entryUrl}"
      data-api-base="${manifest.backend.mountPath}"
      data-locale="${props.locale}"
      ${props.initialScreen ? html`data-initial-screen="${props.initialScreen}"` : ''}
      ${props.shopId ? html`data-shop-id="${props.shopId}"` : ''}
    >
      <p>${TEXT[props.locale].loading}</p>
    </div>
    <script type="module" src="/host/panel-host.js"></script>`
}

function query(params: Record<string, string | undefined>): string {
  const q = new URLSearchParams()
  for (const [k, v] of Object.entries(params)) if (v) q.set(k, v)
  const s = q.toString()
  return s ? `?${s}` : ''
}

export function pagesRoutes(deps: {
  auth: PanelAuth
  manifest: ModuleManifest
  shops: ShopsPort
  templates: TemplatesPort
  remote: RemoteAssets
}) {
  const { manifest, remote } = deps
  const modes = [...PANEL_MODES, { mode: manifest.mount.mode, label: manifest.mount.label }]
  return new Hono<HostEnv>()
    .get('/', (c) => c.redirect('/klienci/eksport-import', 302))
    .get('/klienci/eksport-import', requirePageCaller(deps.auth), (c) => {
      const current = c.req.query('mode') ?? ''
      const lang = c.req.query('lang')
      const locale = localeOf(lang)
      const t = TEXT[locale]
      const isModule = current === manifest.mount.mode
      const mode = modes.find((m) => m.mode === current)
      return c.html(
        layout(
          mode ? `${mode.label[locale]} – ${t.title}` : t.title,
          html`<p>${t.crumbs}</p>
            <h1>${t.title}</h1>
            <nav aria-label="${t.language}" class="langs">
              ${t.language}:
              ${(['pl', 'en'] as const).map(
                (l) => html`<a href="${query({ mode: current, lang: l === 'pl' ? undefined : l })}" hreflang="${l}" lang="${l}"
                    ${l === locale ? html`aria-current="true"` : ''}>${l.toUpperCase()}</a> `,
              )}
            </nav>
            <nav aria-label="${t.modes}">
              <ul class="modes">
                ${modes.map(
                  (m) => html`<li>
                    <a href="${query({ mode: m.mode, lang })}" ${m.mode === current ? html`aria-current="page"` : ''}>${m.label[locale]}</a>
                  </li>`,
                )}
              </ul>
            </nav>
            ${isModule
              ? html`<section aria-label="${manifest.mount.label[locale]}" class="module">${remoteMount(remote, manifest, { locale })}</section>`
              : current
                ? html`<p>${t.unavailable}</p>`
                : html`<p>${t.choose}</p>`}`,
          { user: c.get('caller').login, lang: locale },
        ),
      )
    })
    .get('/administracja/wiadomosci-transakcyjne', requirePageCaller(deps.auth), async (c) => {
      const caller = c.get('caller')
      const canEdit = caller.permissions.includes(PERMISSIONS.manageTemplates)
      const shops = await deps.shops.list()
      const chosen = shops.find((s) => s.id === c.req.query('shop')) ?? null
      const rows = await Promise.all(shops.map(async (s) => ({ shop: s, stored: await deps.templates.get(s.id, TEMPLATE_ID) })))
      const pathOf = (shopName: string) => TEMPLATE_PATH.pl.slice(2).map((p) => (p === '{shop}' ? shopName : p)).join(' / ')
      return c.html(
        layout(
          chosen ? `${TEMPLATE_NAME.pl} – ${chosen.name}` : 'Konfiguracja wiadomości transakcyjnych',
          html`<p>Administracja / Konfiguracja wiadomości transakcyjnych${chosen ? ` / ${pathOf(chosen.name)}` : ''}</p>
            <h1>Konfiguracja wiadomości transakcyjnych</h1>
            ${canEdit ? '' : html`<p class="error">Nie masz uprawnień do zmiany szablonów (tylko podgląd).</p>`}
            <table>
              <thead><tr><th>Sklep</th><th>Ścieżka</th><th>Szablon</th><th>Temat</th><th>Zmieniono</th></tr></thead>
              <tbody>
                ${rows.map(
                  ({ shop, stored }) => html`<tr data-shop-id="${shop.id}" ${chosen?.id === shop.id ? html`aria-current="true"` : ''}>
                    <td><a href="?shop=${shop.id}" ${chosen?.id === shop.id ? html`aria-current="page"` : ''}>${shop.name}</a></td>
                    <td>${pathOf(shop.name)}</td>
                    <td>${TEMPLATE_NAME.pl}</td>
                    <td>${stored ? stored.subject : html`<em>szablon domyślny</em>`}</td>
                    <td>${stored ? stored.updatedAt : '–'}</td>
                  </tr>`,
                )}
              </tbody>
            </table>
            ${chosen
              ? html`<section aria-label="${TEMPLATE_NAME.pl} – ${chosen.name}" class="module">
                  ${remoteMount(remote, manifest, { locale: 'pl', initialScreen: 'template', shopId: chosen.id })}
                </section>`
              : html`<p>Wybierz sklep, aby zmienić szablon.</p>`}`,
          { user: caller.login },
        ),
      )
    })
}
