/** Which screen of the module is shown (the host owns the URL; the module keeps its own place). */
import { defineStore } from 'pinia'
import { ref } from 'vue'

export type Screen =
  | { name: 'imports' }
  | { name: 'platform' }
  | { name: 'connection'; platform: string }
  | { name: 'shops' }
  | { name: 'details'; importId: string }
  | { name: 'buffer'; importId: string }
  | { name: 'imported'; importId: string }
  | { name: 'template'; shopId?: string }

export const useNavStore = defineStore('cm-nav', () => {
  const screen = ref<Screen>({ name: 'imports' })
  function go(next: Screen) {
    screen.value = next
  }
  return { screen, go }
})
