/** The calling admin's preferences: confirmBeforeImport=false is "Nie pytaj mnie ponownie o potwierdzenie". */
import { defineStore } from 'pinia'
import { ref } from 'vue'
import { api } from '../api/client.ts'
import { ok } from '../api/client.ts'

export const usePreferencesStore = defineStore('cm-preferences', () => {
  const confirmBeforeImport = ref(true)
  const loaded = ref(false)
  let pending: Promise<void> | null = null

  /** Loaded once per session of the module; `force` re-reads (another tab may have changed it). */
  function load(force = false): Promise<void> {
    if (loaded.value && !force) return Promise.resolve()
    pending ??= ok(api().preferences.$get())
      .then((p) => {
        confirmBeforeImport.value = p.confirmBeforeImport
        loaded.value = true
      })
      .finally(() => {
        pending = null
      })
    return pending
  }

  async function setConfirmBeforeImport(value: boolean): Promise<void> {
    const p = await ok(api().preferences.$put({ json: { confirmBeforeImport: value } }))
    confirmBeforeImport.value = p.confirmBeforeImport
    loaded.value = true
  }

  return { confirmBeforeImport, loaded, load, setConfirmBeforeImport }
})
