/**
 * Framework-free entry: `mount(el, props)` for hosts without Vue of their own.
 * Returns the unmount function.
 */
import { createApp } from 'vue'
import { createPinia } from 'pinia'
import { createModuleI18n } from '../i18n/index.ts'
import App from '../App.vue'
import type { ModuleProps } from './props.ts'

export function mount(el: Element, props: ModuleProps): () => void {
  const app = createApp(App, { ...props })
  app.use(createPinia())
  app.use(createModuleI18n(props.locale ?? 'pl'))
  app.mount(el)
  return () => app.unmount()
}

export default mount
export type { ModuleProps }
