/**
 * The verify stage's bare limit: saxes (the parser the product uses, with its options) streaming
 * the same XML file in chunks of the product's size, with empty callbacks but for counting
 * </customer>. Also the product's verifier alone on the same file, in this process and without a
 * database, so the stage's time can be split into parsing and storing.
 */
import { createReadStream } from 'node:fs'
import { performance } from 'node:perf_hooks'
import { SaxesParser } from 'saxes'
import { verifyCustomerXml } from '../../backend/src/pipeline/xml/xml.verifier.ts'

const CHUNK_BYTES = 256 * 1024

export async function bareSaxes(file: string): Promise<{ seconds: number; customers: number }> {
  const t0 = performance.now()
  const parser = new SaxesParser({ xmlns: false, forceXMLVersion: true, defaultXMLVersion: '1.0' })
  let customers = 0
  let failure: Error | null = null
  parser.on('opentag', () => {})
  parser.on('text', () => {})
  parser.on('closetag', (t) => {
    if (t.name === 'customer') customers++
  })
  parser.on('error', (e) => {
    failure ??= e
  })
  for await (const chunk of createReadStream(file, { encoding: 'utf8', highWaterMark: CHUNK_BYTES })) parser.write(chunk as string)
  parser.close()
  if (failure) throw failure
  return { seconds: (performance.now() - t0) / 1000, customers }
}

export async function productVerifierAlone(file: string): Promise<{ seconds: number; customers: number }> {
  const t0 = performance.now()
  let n = 0
  const r = await verifyCustomerXml(file, { onCustomer: () => void n++ })
  if (!r.ok) throw new Error(`the product's verifier refused the file: ${JSON.stringify(r.errors.slice(0, 3))}`)
  return { seconds: (performance.now() - t0) / 1000, customers: n }
}
