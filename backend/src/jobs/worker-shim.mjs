// bree cannot load .ts jobs through execArgv on Node 20: this shim loads the TS job through tsx.
import { workerData } from 'node:worker_threads'
import { tsImport } from 'tsx/esm/api'

await tsImport(workerData.tsJob, import.meta.url)
