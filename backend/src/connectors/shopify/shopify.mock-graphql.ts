/**
 * A small GraphQL parser for the mock (the `graphql` package is not installed): one query
 * operation with variables, fields with aliases and arguments, nested selections. Fragments,
 * directives, mutations and subscriptions are refused as the mock does not serve them. Errors
 * read like Shopify's parser ("syntax error, unexpected …") with a line and column.
 */

export type GqlValue =
  | { kind: 'variable'; name: string }
  | { kind: 'int'; value: number }
  | { kind: 'float'; value: number }
  | { kind: 'string'; value: string }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'null' }
  | { kind: 'enum'; value: string }
  | { kind: 'list'; values: GqlValue[] }
  | { kind: 'object'; fields: Record<string, GqlValue> }

export interface GqlField {
  name: string
  /** the key in the answer (the alias, else the name) */
  key: string
  args: Record<string, GqlValue>
  selection: GqlField[] | null
  line: number
  column: number
}

export interface GqlVariableDef {
  name: string
  /** e.g. "Int!", "[ID!]" */
  type: string
  defaultValue: GqlValue | null
}

export interface GqlOperation {
  name: string | null
  variables: GqlVariableDef[]
  selection: GqlField[]
}

export class GqlSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(message)
  }
}

type Token = { kind: 'punct' | 'name' | 'int' | 'float' | 'string' | 'eof'; value: string; line: number; column: number }

const PUNCT_NAMES: Record<string, string> = { '{': 'LCURLY', '}': 'RCURLY', '(': 'LPAREN', ')': 'RPAREN', ':': 'COLON', $: 'VAR_SIGN', '!': 'BANG', '[': 'LBRACKET', ']': 'RBRACKET', '=': 'EQUALS', '@': 'DIR_SIGN', '...': 'ELLIPSIS' }

function tokenize(src: string): Token[] {
  const out: Token[] = []
  let i = 0
  let line = 1
  let lineStart = 0
  const at = () => ({ line, column: i - lineStart + 1 })
  while (i < src.length) {
    const ch = src[i]!
    if (ch === '\n') {
      i++
      line++
      lineStart = i
      continue
    }
    if (/[\s,\uFEFF]/.test(ch)) {
      i++
      continue
    }
    if (ch === '#') {
      while (i < src.length && src[i] !== '\n') i++
      continue
    }
    const pos = at()
    if (src.startsWith('...', i)) {
      out.push({ kind: 'punct', value: '...', ...pos })
      i += 3
      continue
    }
    if ('{}():$![]=@'.includes(ch)) {
      out.push({ kind: 'punct', value: ch, ...pos })
      i++
      continue
    }
    const name = /^[_A-Za-z][_0-9A-Za-z]*/.exec(src.slice(i))
    if (name) {
      out.push({ kind: 'name', value: name[0], ...pos })
      i += name[0].length
      continue
    }
    const num = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(src.slice(i))
    if (num) {
      out.push({ kind: num[2] || num[3] ? 'float' : 'int', value: num[0], ...pos })
      i += num[0].length
      continue
    }
    if (ch === '"') {
      let j = i + 1
      let value = ''
      for (; j < src.length && src[j] !== '"'; j++) {
        if (src[j] === '\n') break
        if (src[j] === '\\') {
          const esc = src[++j]
          if (esc === 'u') {
            value += String.fromCharCode(Number.parseInt(src.slice(j + 1, j + 5), 16))
            j += 4
          } else value += ({ n: '\n', t: '\t', r: '\r', b: '\b', f: '\f' } as Record<string, string>)[esc ?? ''] ?? esc ?? ''
        } else value += src[j]
      }
      if (src[j] !== '"') throw new GqlSyntaxError(`syntax error, unterminated string at [${pos.line}, ${pos.column}]`, pos.line, pos.column)
      out.push({ kind: 'string', value, ...pos })
      i = j + 1
      continue
    }
    throw new GqlSyntaxError(`syntax error, unexpected character "${ch}" at [${pos.line}, ${pos.column}]`, pos.line, pos.column)
  }
  out.push({ kind: 'eof', value: '', ...at() })
  return out
}

export function parseQuery(src: string): GqlOperation {
  const tokens = tokenize(src)
  let p = 0
  const peek = () => tokens[p]!
  const unexpected = (t: Token): never => {
    const what = t.kind === 'eof' ? 'end of file' : t.kind === 'punct' ? `${PUNCT_NAMES[t.value] ?? t.value} ("${t.value}")` : `${t.kind.toUpperCase()} ("${t.value}")`
    throw new GqlSyntaxError(`syntax error, unexpected ${what} at [${t.line}, ${t.column}]`, t.line, t.column)
  }
  const take = (kind: Token['kind'], value?: string): Token => {
    const t = peek()
    if (t.kind !== kind || (value !== undefined && t.value !== value)) unexpected(t)
    p++
    return t
  }
  const is = (value: string) => peek().kind === 'punct' && peek().value === value

  function refuse(t: Token, what: string): never {
    throw new GqlSyntaxError(`${what} are not supported by this mock (at [${t.line}, ${t.column}])`, t.line, t.column)
  }

  function value(constant: boolean): GqlValue {
    const t = peek()
    if (t.kind === 'punct' && t.value === '$') {
      if (constant) unexpected(t)
      p++
      return { kind: 'variable', name: take('name').value }
    }
    if (t.kind === 'int') return p++, { kind: 'int', value: Number(t.value) }
    if (t.kind === 'float') return p++, { kind: 'float', value: Number(t.value) }
    if (t.kind === 'string') return p++, { kind: 'string', value: t.value }
    if (t.kind === 'name') {
      p++
      if (t.value === 'true' || t.value === 'false') return { kind: 'boolean', value: t.value === 'true' }
      if (t.value === 'null') return { kind: 'null' }
      return { kind: 'enum', value: t.value }
    }
    if (is('[')) {
      p++
      const values: GqlValue[] = []
      while (!is(']')) values.push(value(constant))
      p++
      return { kind: 'list', values }
    }
    if (is('{')) {
      p++
      const fields: Record<string, GqlValue> = {}
      while (!is('}')) {
        const key = take('name').value
        take('punct', ':')
        fields[key] = value(constant)
      }
      p++
      return { kind: 'object', fields }
    }
    return unexpected(t)
  }

  function typeRef(): string {
    if (is('[')) {
      p++
      const inner = typeRef()
      take('punct', ']')
      return `[${inner}]${is('!') ? (p++, '!') : ''}`
    }
    const name = take('name').value
    return `${name}${is('!') ? (p++, '!') : ''}`
  }

  function selectionSet(): GqlField[] {
    take('punct', '{')
    const fields: GqlField[] = []
    while (!is('}')) {
      if (is('...')) refuse(peek(), 'fragments')
      const first = take('name')
      let name = first.value
      const key = first.value
      if (is(':')) {
        p++
        name = take('name').value
      }
      const args: Record<string, GqlValue> = {}
      if (is('(')) {
        p++
        while (!is(')')) {
          const arg = take('name').value
          take('punct', ':')
          args[arg] = value(false)
        }
        p++
      }
      if (is('@')) refuse(peek(), 'directives')
      fields.push({ name, key, args, selection: is('{') ? selectionSet() : null, line: first.line, column: first.column })
    }
    p++
    if (fields.length === 0) unexpected(tokens[p - 1]!)
    return fields
  }

  let op: GqlOperation
  if (is('{')) op = { name: null, variables: [], selection: selectionSet() }
  else {
    const kw = take('name')
    if (kw.value === 'mutation' || kw.value === 'subscription') refuse(kw, 'mutations and subscriptions')
    if (kw.value === 'fragment') refuse(kw, 'fragments')
    if (kw.value !== 'query') unexpected(kw)
    const name = peek().kind === 'name' ? take('name').value : null
    const variables: GqlVariableDef[] = []
    if (is('(')) {
      p++
      while (!is(')')) {
        take('punct', '$')
        const varName = take('name').value
        take('punct', ':')
        const type = typeRef()
        const defaultValue = is('=') ? (p++, value(true)) : null
        variables.push({ name: varName, type, defaultValue })
      }
      p++
    }
    op = { name, variables, selection: selectionSet() }
  }
  if (peek().kind !== 'eof') {
    const t = peek()
    if (t.kind === 'name' && (t.value === 'query' || t.value === 'fragment')) refuse(t, 'several operations or fragments in one document')
    unexpected(t)
  }
  return op
}
