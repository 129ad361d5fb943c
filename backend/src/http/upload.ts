/** Streams a multipart upload to disk (never into memory), enforcing the size limit. */
import { createWriteStream } from 'node:fs'
import { rm } from 'node:fs/promises'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import busboy from 'busboy'
import { HttpError } from './http-error.ts'

export interface ReceivedUpload {
  path: string
  size: number
  filename: string
  fields: Record<string, string[]>
}

export async function receiveUpload(req: Request, targetPath: string, maxBytes: number): Promise<ReceivedUpload> {
  const type = req.headers.get('content-type') ?? ''
  if (!req.body || !type.startsWith('multipart/form-data')) throw new HttpError(400, 'FILE_MISSING')
  let bb: busboy.Busboy
  try {
    bb = busboy({ headers: { 'content-type': type }, limits: { fileSize: maxBytes, files: 1, fields: 200 } })
  } catch {
    // a multipart content type without a usable boundary: busboy refuses it before reading anything
    throw new HttpError(400, 'FILE_MISSING', 'The upload is not a readable multipart form / Przesłany formularz jest nieczytelny')
  }
  // no prototype: a field named `constructor`, `valueOf` or `__proto__` is a field like any other
  // (on a plain object it threw inside busboy's emit: the request hung and the rejection went unhandled)
  const fields: Record<string, string[]> = Object.create(null) as Record<string, string[]>
  let file: Promise<{ size: number; filename: string; truncated: boolean }> | null = null
  bb.on('field', (name, value) => (fields[name] ??= []).push(value))
  bb.on('file', (name, stream, info) => {
    if (name !== 'file' || file) {
      stream.resume()
      return
    }
    let size = 0
    stream.on('data', (chunk: Buffer) => (size += chunk.length))
    file = pipeline(stream, createWriteStream(targetPath)).then(() => ({ size, filename: info.filename ?? 'plik.xml', truncated: (stream as unknown as { truncated: boolean }).truncated }))
  })
  try {
    await pipeline(Readable.fromWeb(req.body as import('node:stream/web').ReadableStream), bb)
    if (!file) throw new HttpError(400, 'FILE_MISSING')
    const got = await (file as Promise<{ size: number; filename: string; truncated: boolean }>)
    if (got.truncated) throw new HttpError(413, 'FILE_TOO_LARGE', undefined, { maxBytes })
    if (got.size === 0) throw new HttpError(400, 'FILE_MISSING')
    return { path: targetPath, size: got.size, filename: got.filename, fields }
  } catch (e) {
    await rm(targetPath, { force: true })
    if (e instanceof HttpError) throw e
    throw new HttpError(400, 'FILE_MISSING', 'The upload could not be read / Nie udało się odczytać przesłanego pliku')
  }
}
