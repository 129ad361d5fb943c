/**
 * A fetch stand-in for conformance tests of OAuth 1.0a-signed sources: once armed, the next
 * request reaches the shop with its oauth_signature altered (in the query or the Authorization
 * header), as a proxy rewriting the URL or a wrong secret would make it.
 */
import type { SourceHttpOptions } from '../connectors/connector.ts'

type FetchFn = SourceHttpOptions['fetch']

function spoil(signature: string): string {
  const first = signature.charAt(0)
  return `${first === 'A' ? 'B' : 'A'}${signature.slice(1)}`
}

export function oauthTamper(inner: FetchFn): { fetch: FetchFn; armNext(): void } {
  let armed = false
  const fetch: FetchFn = (url, init) => {
    if (!armed) return inner(url, init)
    armed = false
    const u = new URL(url)
    const sig = u.searchParams.get('oauth_signature')
    if (sig) u.searchParams.set('oauth_signature', spoil(sig))
    const headers = new Headers(init?.headers)
    const auth = headers.get('authorization')
    if (auth?.startsWith('OAuth ')) {
      headers.set('authorization', auth.replace(/oauth_signature="([^"]*)"/, (_, v: string) => `oauth_signature="${encodeURIComponent(spoil(decodeURIComponent(v)))}"`))
    }
    return inner(u.toString(), { ...init, headers })
  }
  return { fetch, armNext: () => (armed = true) }
}
