/**
 * A small HTTP client of the mock panel and the module's API, for scripts and integration
 * tests: keeps the session cookie and parses answers with the contracts' schemas.
 */
import type { z } from 'zod'

export interface PanelClientOptions {
  baseUrl: string
  /** module mount path */
  apiPath?: string
  /** every response body is handed here (the leak scan reads them all) */
  onResponse?: (path: string, body: string) => void
}

/** tries of one GET when the connection fails (not when the server answers) */
const GET_ATTEMPTS = 3

export class PanelClient {
  private cookie = ''
  readonly api: string
  constructor(private readonly opts: PanelClientOptions) {
    this.api = opts.apiPath ?? '/api/customer-migration'
  }

  async login(login: string, password: string): Promise<void> {
    const res = await fetch(`${this.opts.baseUrl}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ login, password }),
    })
    if (res.status !== 200) throw new Error(`login as ${login} failed: ${res.status}`)
    this.cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!
  }

  async raw(method: string, path: string, body?: unknown): Promise<{ status: number; text: string }> {
    for (let attempt = 1; ; attempt++) {
      try {
        const res = await fetch(`${this.opts.baseUrl}${path}`, {
          method,
          headers: { cookie: this.cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        })
        const text = await res.text()
        this.opts.onResponse?.(path, text)
        return { status: res.status, text }
      } catch (err) {
        // a kept-alive connection the server closed just as it was reused fails as "fetch failed"
        // (ECONNRESET); a GET is safe to send again, anything else is reported with its cause
        if (method === 'GET' && err instanceof TypeError && attempt < GET_ATTEMPTS) {
          await new Promise((r) => setTimeout(r, 200 * attempt))
          continue
        }
        const cause = (err as { cause?: { code?: string; message?: string } }).cause
        throw new Error(`${method} ${path}: ${(err as Error).message}${cause ? ` (${cause.code ?? cause.message})` : ''}`, { cause: err })
      }
    }
  }

  /** a call to the module; `schema` checks the answer's shape */
  async call<S extends z.ZodType>(method: string, path: string, schema: S, body?: unknown, expect: number[] = [200, 201, 202]): Promise<z.infer<S>> {
    const r = await this.raw(method, `${this.api}${path}`, body)
    if (!expect.includes(r.status)) throw new Error(`${method} ${path} answered ${r.status}: ${r.text.slice(0, 300)}`)
    return schema.parse(JSON.parse(r.text))
  }

  /** polls until `done` holds; jobs run in the background, so no fixed sleeps */
  async until<T>(read: () => Promise<T>, done: (v: T) => boolean, timeoutMs: number, onTick?: (v: T) => void): Promise<T> {
    const end = Date.now() + timeoutMs
    for (;;) {
      const v = await read()
      onTick?.(v)
      if (done(v)) return v
      if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms: ${JSON.stringify(v).slice(0, 400)}`)
      await new Promise((r) => setTimeout(r, 200))
    }
  }
}
