/** The scratch folder a connector may use for one import (join tables on disk), beside its XML file. */
import { rm } from 'node:fs/promises'

export const workDirFor = (filePath: string) => `${filePath}.work`

/** the import's file and its scratch folder, gone (usuń źródło, or a finished fetch's leftovers) */
export async function removeImportFiles(filePath: string): Promise<void> {
  await rm(filePath, { force: true })
  await rm(workDirFor(filePath), { recursive: true, force: true })
}
