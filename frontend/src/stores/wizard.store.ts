/**
 * The new-migration wizard: platform → connection (Sprawdź połączenie) → shops (Zapisz i zleć
 * import). Credentials live only in this store's memory — never in localStorage or
 * sessionStorage — and are wiped once the import is created or the admin leaves the wizard.
 */
import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import type { z } from 'zod'
import type { ConnectionCheckResponse, ImportDetails, Platform, PlatformId, Shop, SourceCredentials } from '@cm/contracts'
import { api } from '../api/client.ts'
import { ok } from '../api/client.ts'

type CredentialsInput = z.input<typeof SourceCredentials>

export type CheckState =
  | { state: 'idle' }
  | { state: 'checking' }
  | { state: 'ok'; shopName?: string; customerCount?: number }
  | { state: 'failed'; code: string; message: string }
  | { state: 'error'; error: unknown }

export const useWizardStore = defineStore('cm-wizard', () => {
  const platforms = ref<Platform[] | null>(null)
  const platformsError = shallowRef<unknown>(null)
  const platformsLoading = ref(false)

  const platformId = ref<PlatformId | null>(null)
  /** the chosen way in, for platforms that offer several (Shopify: app client ID + secret, or a token) */
  const modeId = ref<string | null>(null)
  const credentials = ref<Record<string, string>>({})
  const check = ref<CheckState>({ state: 'idle' })
  /** the credentials as they were when the last good check was made */
  let checkedKey: string | null = null

  const shops = ref<Shop[] | null>(null)
  const shopsError = shallowRef<unknown>(null)
  const shopsLoading = ref(false)
  const shopIds = ref<string[]>([])

  const submitting = ref(false)
  const submitError = shallowRef<unknown>(null)

  const platform = computed(() => platforms.value?.find((p) => p.id === platformId.value) ?? null)
  const modes = computed(() => platform.value?.credentialModes ?? [])
  const mode = computed(() => modes.value.find((m) => m.id === modeId.value) ?? modes.value[0] ?? null)
  /** the fields the form shows and sends: those of no mode (the domain) and those of the chosen mode */
  const activeFields = computed(() => {
    const inSomeMode = new Set(modes.value.flatMap((m) => m.fields))
    return (platform.value?.credentialFields ?? []).filter((f) => !inSomeMode.has(f.name) || mode.value?.fields.includes(f.name))
  })
  const key = () => JSON.stringify([platformId.value, mode.value?.id ?? null, body()])
  /** Przejdź dalej: only after a good check of exactly the credentials now in the form */
  const canContinue = computed(() => check.value.state === 'ok' && checkedKey === key())
  const missingFields = computed(() => activeFields.value.filter((f) => !credentials.value[f.name]?.trim()).map((f) => f.name))

  async function loadPlatforms(): Promise<void> {
    if (platformsLoading.value) return
    platformsLoading.value = true
    platformsError.value = null
    try {
      platforms.value = (await ok(api().platforms.$get())).items
    } catch (e) {
      platformsError.value = e
    } finally {
      platformsLoading.value = false
    }
  }

  /** picks the platform; another platform than before starts the form afresh */
  function choosePlatform(id: PlatformId) {
    if (platformId.value === id) return
    clearConnection()
    platformId.value = id
  }

  /** another way in: its fields are shown, the other way's are neither shown nor sent */
  function chooseMode(id: string) {
    if (mode.value?.id === id) return
    modeId.value = id
    if (check.value.state !== 'checking') check.value = { state: 'idle' }
    checkedKey = null
  }

  function setField(name: string, value: string) {
    if (credentials.value[name] === value) return
    credentials.value = { ...credentials.value, [name]: value }
    // a changed field makes the last result stale: Przejdź dalej goes back to disabled
    if (check.value.state !== 'checking') check.value = { state: 'idle' }
    checkedKey = null
  }

  function body(): CredentialsInput {
    const sent = Object.fromEntries(activeFields.value.map((f) => [f.name, credentials.value[f.name] ?? '']))
    return { ...sent, platform: platformId.value } as CredentialsInput
  }

  /** Sprawdź połączenie */
  async function checkConnection(): Promise<void> {
    if (!platformId.value || check.value.state === 'checking') return
    const sent = key()
    check.value = { state: 'checking' }
    let next: CheckState
    try {
      const r: ConnectionCheckResponse = await ok(api().connections.check.$post({ json: body() }))
      next = r.ok ? { state: 'ok', shopName: r.shopName, customerCount: r.customerCount } : { state: 'failed', code: r.error.code, message: r.error.message }
    } catch (e) {
      next = { state: 'error', error: e }
    }
    // the admin typed on while we waited: that answer is about other credentials
    if (key() !== sent) {
      check.value = { state: 'idle' }
      return
    }
    check.value = next
    checkedKey = next.state === 'ok' ? sent : null
  }

  async function loadShops(): Promise<void> {
    if (shopsLoading.value) return
    shopsLoading.value = true
    shopsError.value = null
    try {
      shops.value = (await ok(api().shops.$get())).items
    } catch (e) {
      shopsError.value = e
    } finally {
      shopsLoading.value = false
    }
  }

  /** Zapisz i zleć import; the credentials are forgotten once the import exists */
  async function submit(): Promise<ImportDetails | null> {
    if (submitting.value || !canContinue.value || shopIds.value.length === 0) return null
    submitting.value = true
    submitError.value = null
    try {
      const created = await ok(api().imports.$post({ json: { credentials: body(), shopIds: [...shopIds.value] } }))
      reset()
      return created
    } catch (e) {
      submitError.value = e
      return null
    } finally {
      submitting.value = false
    }
  }

  function clearConnection() {
    credentials.value = {}
    modeId.value = null
    check.value = { state: 'idle' }
    checkedKey = null
  }

  /** forgets everything the admin entered (the platform and shop lists stay cached) */
  function reset() {
    clearConnection()
    platformId.value = null
    shopIds.value = []
    submitError.value = null
  }

  return {
    platforms,
    platformsError,
    platformsLoading,
    platformId,
    platform,
    credentials,
    modes,
    mode,
    activeFields,
    check,
    canContinue,
    missingFields,
    shops,
    shopsError,
    shopsLoading,
    shopIds,
    submitting,
    submitError,
    loadPlatforms,
    choosePlatform,
    chooseMode,
    setField,
    checkConnection,
    loadShops,
    submit,
    reset,
  }
})
