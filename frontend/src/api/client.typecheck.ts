// Compile-time proof that the client is typed by the backend's routes (vue-tsc checks this file).
import { api } from './client.ts'

export async function typedRoutesCompile(): Promise<void> {
  await api().platforms.$get()
  await api().imports[':id'].$get({ param: { id: '1' } })
  // @ts-expect-error: no such route in the module
  await api().nonexistent.$get()
}
