/**
 * The module's texts as vue-i18n message functions, so that the remote ships without vue-i18n's
 * message compiler (a third of vue-i18n's weight, in the first chunk otherwise; vite.config.ts
 * drops it). The texts use a small part of vue-i18n's syntax: named parameters `{name}`, list
 * parameters `{0}` and literals `{'@'}` (toMessage). Anything else (`@:` links, `|` plurals:
 * plurals go through Intl.PluralRules, flow.format.ts) throws here, and compile.test.ts checks
 * that every text renders as vue-i18n's own compiler renders it.
 */
import type { MessageContext, MessageFunction } from 'vue-i18n'
import type { Tree } from './messages.ts'

type Part = string | { named: string } | { list: number }

/** `'…'` inside braces: vue-i18n's literal, with `\'` and `\\` escapes */
function literal(source: string, start: number): { value: string; end: number } {
  let value = ''
  for (let i = start + 1; i < source.length; i++) {
    const c = source[i]!
    if (c === '\\' && (source[i + 1] === "'" || source[i + 1] === '\\')) value += source[++i]
    else if (c === "'") return { value, end: i }
    else value += c
  }
  throw new Error(`unclosed literal in message: ${source}`)
}

export function parseMessage(source: string): Part[] {
  const parts: Part[] = []
  let text = ''
  const flush = () => {
    if (text) parts.push(text)
    text = ''
  }
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!
    if (c === '{') {
      let j = i + 1
      while (source[j] === ' ') j++
      let inner: Part
      if (source[j] === "'") {
        const lit = literal(source, j)
        inner = lit.value
        j = lit.end + 1
      } else {
        const m = /^([A-Za-z_][\w]*|\d+)/.exec(source.slice(j))
        if (!m) throw new Error(`unsupported placeholder in message: ${source}`)
        inner = /^\d/.test(m[1]!) ? { list: Number(m[1]) } : { named: m[1]! }
        j += m[1]!.length
      }
      while (source[j] === ' ') j++
      if (source[j] !== '}') throw new Error(`unsupported placeholder in message: ${source}`)
      if (typeof inner === 'string') text += inner
      else {
        flush()
        parts.push(inner)
      }
      i = j
    } else if (c === '}' || c === '@' || c === '|') {
      throw new Error(`vue-i18n syntax the module does not use ('${c}'): write it as {'${c}'} in: ${source}`)
    } else text += c
  }
  flush()
  return parts
}

/** a parameter as vue-i18n shows it (its toDisplayString): nothing for null, objects as JSON */
function display(value: unknown): string {
  if (value == null) return ''
  if (Array.isArray(value) || (typeof value === 'object' && value.toString === Object.prototype.toString)) return JSON.stringify(value, null, 2)
  return String(value)
}

/** one text → a message function (vue-i18n's documented form: `({ named, list }) => string`) */
export function compileMessage(source: string): MessageFunction {
  const parts = parseMessage(source)
  if (parts.every((p) => typeof p === 'string')) {
    const text = parts.join('')
    return () => text
  }
  return ({ named, list }: MessageContext) => parts.map((p) => (typeof p === 'string' ? p : 'named' in p ? display(named(p.named)) : display(list(p.list)))).join('')
}

export type CompiledTree = { [k: string]: MessageFunction | CompiledTree }

export function compileMessages(tree: Tree): CompiledTree {
  return Object.fromEntries(Object.entries(tree).map(([k, v]) => [k, typeof v === 'string' ? compileMessage(v) : compileMessages(v)]))
}
