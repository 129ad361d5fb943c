/**
 * The mock's GraphQL engine over a schema of shopify.mock-schema.ts: validation as Shopify's
 * (unknown fields and arguments, selections on scalars, missing selections, undeclared or unused
 * variables, connections without first/last or with first above 250), the calculated cost before
 * execution (object 1, scalar 0, connection 2 + first × (1 + node)), and execution with the
 * actual cost (what was returned) and per-field errors such as ACCESS_DENIED.
 */
import type { GqlField, GqlOperation, GqlValue } from './shopify.mock-graphql.ts'

export interface GqlError {
  message: string
  locations?: Array<{ line: number; column: number }>
  path?: Array<string | number>
  extensions?: Record<string, unknown>
}

export interface ExecContext {
  scopes: ReadonlySet<string>
  protectedData: boolean
}

/** what a resolver may do besides answering: refuse its field with an error */
export interface FieldCtx {
  ctx: ExecContext
  deny(message: string, extensions: Record<string, unknown>): null
}

/** ordered items of a connection (read by the slice a page needs) and where a cursor points into them */
export interface ConnectionSource {
  length: number
  /** the items in [start, end), as Array.prototype.slice takes them */
  slice(start: number, end: number): unknown[]
  cursorOf(item: unknown): string
  /** index of the first item after `cursor`; null for a cursor of no use here */
  indexAfter(cursor: string): number | null
}

type Args = Record<string, unknown>
export type FieldDef =
  | { kind: 'scalar'; get(parent: any): unknown }
  | { kind: 'object'; type: string; args?: Record<string, string>; get(parent: any, args: Args, f: FieldCtx): unknown }
  | { kind: 'connection'; node: string; args: Record<string, string>; get(parent: any, args: Args, f: FieldCtx): ConnectionSource | null }
export type Schema = Record<string, Record<string, FieldDef>>

export const MAX_FIRST = 250
const CONNECTION_FIELDS = ['nodes', 'edges', 'pageInfo']
const PAGE_INFO = ['hasNextPage', 'hasPreviousPage', 'startCursor', 'endCursor']

const loc = (f: GqlField) => [{ line: f.line, column: f.column }]

function valueOf(v: GqlValue, vars: Record<string, unknown>): unknown {
  switch (v.kind) {
    case 'variable':
      return vars[v.name] ?? null
    case 'null':
      return null
    case 'list':
      return v.values.map((x) => valueOf(x, vars))
    case 'object':
      return Object.fromEntries(Object.entries(v.fields).map(([k, x]) => [k, valueOf(x, vars)]))
    default:
      return v.value
  }
}

/** the arguments of `f` with variables (and their defaults) filled in */
export function argsOf(f: GqlField, vars: Record<string, unknown>): Args {
  return Object.fromEntries(Object.entries(f.args).map(([k, v]) => [k, valueOf(v, vars)]))
}

/** the variables sent, with the operation's defaults for those not sent */
export function withDefaults(op: GqlOperation, variables: Record<string, unknown>): Record<string, unknown> {
  const out = { ...variables }
  for (const v of op.variables) if (out[v.name] === undefined && v.defaultValue) out[v.name] = valueOf(v.defaultValue, {})
  return out
}

/** `nodes { … }` and `edges { node { … } }` of a connection selection, merged */
function nodeSelection(f: GqlField): GqlField[] {
  const out: GqlField[] = []
  for (const c of f.selection ?? []) {
    if (c.name === 'nodes') out.push(...(c.selection ?? []))
    if (c.name === 'edges') for (const e of c.selection ?? []) if (e.name === 'node') out.push(...(e.selection ?? []))
  }
  return out
}

/** Shopify's validation errors for `op` with `variables`; empty when the query may run */
export function validate(schema: Schema, op: GqlOperation, variables: Record<string, unknown>): GqlError[] {
  const errors: GqlError[] = []
  const declared = new Map(op.variables.map((v) => [v.name, v]))
  const used = new Set<string>()
  const opName = op.name ?? 'anonymous'
  for (const v of op.variables) {
    if (v.type.endsWith('!') && (variables[v.name] === undefined || variables[v.name] === null) && !v.defaultValue) {
      errors.push({ message: `Variable $${v.name} of type ${v.type} was provided invalid value`, extensions: { value: null, problems: [{ path: [], explanation: 'Expected value to not be null' }] } })
    }
  }
  const walkArgs = (f: GqlField) => {
    const visit = (v: GqlValue) => {
      if (v.kind === 'variable') {
        used.add(v.name)
        if (!declared.has(v.name)) errors.push({ message: `Variable $${v.name} is used by ${opName} but not declared`, locations: loc(f), path: ['query', opName], extensions: { code: 'variableNotDefined', variableName: v.name } })
      }
      if (v.kind === 'list') v.values.forEach(visit)
      if (v.kind === 'object') Object.values(v.fields).forEach(visit)
    }
    Object.values(f.args).forEach(visit)
  }
  const walk = (fields: GqlField[], typeName: string, path: Array<string | number>) => {
    for (const f of fields) {
      const here = [...path, f.key]
      const def = schema[typeName]?.[f.name]
      if (!def) {
        errors.push({ message: `Field '${f.name}' doesn't exist on type '${typeName}'`, locations: loc(f), path: here, extensions: { code: 'undefinedField', typeName, fieldName: f.name } })
        continue
      }
      walkArgs(f)
      const accepted = def.kind === 'scalar' ? {} : (def.args ?? {})
      for (const a of Object.keys(f.args)) {
        if (!(a in accepted)) errors.push({ message: `Field '${f.name}' doesn't accept argument '${a}'`, locations: loc(f), path: [...here, a], extensions: { code: 'argumentNotAccepted', name: f.name, typeName: 'Field', argumentName: a } })
      }
      for (const [a, type] of Object.entries(accepted)) {
        if (type.endsWith('!') && f.args[a] === undefined) errors.push({ message: `Field '${f.name}' is missing required arguments: ${a}`, locations: loc(f), path: here, extensions: { code: 'missingRequiredArguments', className: 'Field', name: f.name, arguments: a } })
      }
      if (def.kind === 'scalar') {
        if (f.selection) errors.push({ message: `Selections can't be made on scalars (field '${f.name}' returns a scalar but has selections)`, locations: loc(f), path: here, extensions: { code: 'selectionMismatch', nodeName: `field '${f.name}'` } })
        continue
      }
      if (!f.selection) {
        errors.push({ message: `Field must have selections (field '${f.name}' returns ${def.kind === 'object' ? def.type : `${def.node}Connection`} but has no selections. Did you mean '${f.name} { ... }'?)`, locations: loc(f), path: here, extensions: { code: 'selectionMismatch', nodeName: `field '${f.name}'` } })
        continue
      }
      if (def.kind === 'object') {
        walk(f.selection, def.type, here)
        continue
      }
      const a = argsOf(f, variables)
      if (a.first == null && a.last == null) errors.push({ message: 'you must provide one of first or last', locations: loc(f), path: here })
      for (const k of ['first', 'last'] as const) {
        const n = a[k]
        if (n == null) continue
        if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) errors.push({ message: `${k} must be a non-negative integer`, locations: loc(f), path: here })
        else if (n > MAX_FIRST) {
          errors.push({
            message: `${k} cannot exceed ${MAX_FIRST}. To query larger amounts of data with fewer limits, bulk operations should be used instead. See https://shopify.dev/tutorials/perform-bulk-operations-with-admin-api for usage details.`,
            locations: loc(f),
            path: here,
          })
        }
      }
      for (const c of f.selection) {
        const cHere = [...here, c.key]
        if (!CONNECTION_FIELDS.includes(c.name)) {
          errors.push({ message: `Field '${c.name}' doesn't exist on type '${def.node}Connection'`, locations: loc(c), path: cHere, extensions: { code: 'undefinedField', typeName: `${def.node}Connection`, fieldName: c.name } })
        } else if (!c.selection) {
          errors.push({ message: `Field must have selections (field '${c.name}' has no selections)`, locations: loc(c), path: cHere, extensions: { code: 'selectionMismatch' } })
        } else if (c.name === 'nodes') walk(c.selection, def.node, cHere)
        else if (c.name === 'pageInfo') {
          for (const p of c.selection) if (!PAGE_INFO.includes(p.name)) errors.push({ message: `Field '${p.name}' doesn't exist on type 'PageInfo'`, locations: loc(p), path: [...cHere, p.key], extensions: { code: 'undefinedField', typeName: 'PageInfo', fieldName: p.name } })
        } else {
          for (const e of c.selection) {
            if (e.name === 'node' && e.selection) walk(e.selection, def.node, [...cHere, 'node'])
            else if (e.name !== 'cursor') errors.push({ message: `Field '${e.name}' doesn't exist on type '${def.node}Edge'`, locations: loc(e), path: [...cHere, e.key], extensions: { code: 'undefinedField', typeName: `${def.node}Edge`, fieldName: e.name } })
          }
        }
      }
    }
  }
  walk(op.selection, 'QueryRoot', ['query', opName])
  for (const v of op.variables) {
    if (!used.has(v.name)) errors.push({ message: `Variable $${v.name} is declared by ${opName} but not used`, path: ['query', opName], extensions: { code: 'variableNotUsed', variableName: v.name } })
  }
  return errors
}

/** the requested cost of a valid `selection` of `typeName` */
export function requestedCost(schema: Schema, selection: GqlField[], typeName: string, vars: Record<string, unknown>): number {
  let cost = 0
  for (const f of selection) {
    const def = schema[typeName]?.[f.name]
    if (!def || def.kind === 'scalar') continue
    if (def.kind === 'object') cost += 1 + requestedCost(schema, f.selection ?? [], def.type, vars)
    else {
      const a = argsOf(f, vars)
      const n = Number(a.first ?? a.last ?? 0)
      cost += 2 + n * (1 + requestedCost(schema, nodeSelection(f), def.node, vars))
    }
  }
  return cost
}

export interface Execution {
  data: Record<string, unknown> | null
  errors: GqlError[]
  actualCost: number
}

/** runs a validated operation; per-field refusals become errors with the field null */
export function execute(schema: Schema, op: GqlOperation, vars: Record<string, unknown>, ctx: ExecContext, root: unknown): Execution {
  const errors: GqlError[] = []
  let actual = 0

  const fieldsOf = (selection: GqlField[], typeName: string, parent: unknown, path: Array<string | number>): Record<string, unknown> => {
    const out: Record<string, unknown> = {}
    for (const f of selection) {
      const def = schema[typeName]![f.name]!
      if (def.kind === 'scalar') {
        out[f.key] = def.get(parent) ?? null
        continue
      }
      // a path and a context only where errors can arise (not for scalars: most of a page's fields)
      const here = [...path, f.key]
      const fctx: FieldCtx = { ctx, deny: (message, extensions) => (errors.push({ message, locations: loc(f), path: here, extensions }), null) }
      const args = argsOf(f, vars)
      if (def.kind === 'object') {
        const value = def.get(parent, args, fctx)
        if (value === null || value === undefined) out[f.key] = null
        else {
          actual += 1
          out[f.key] = fieldsOf(f.selection!, def.type, value, here)
        }
        continue
      }
      const source = def.get(parent, args, fctx)
      if (!source) {
        out[f.key] = null
        continue
      }
      out[f.key] = connection(f, def.node, source, args, here)
    }
    return out
  }

  const connection = (f: GqlField, node: string, source: ConnectionSource, args: Args, path: Array<string | number>) => {
    let start = 0
    if (typeof args.after === 'string') {
      const at = source.indexAfter(args.after)
      if (at === null) {
        errors.push({ message: 'Invalid cursor for current pagination sort.', locations: loc(f), path })
        return null
      }
      start = at
    }
    const first = Number(args.first ?? args.last ?? 0)
    const slice = source.slice(start, start + first)
    actual += 2
    const out: Record<string, unknown> = {}
    for (const c of f.selection!) {
      if (c.name === 'nodes') out[c.key] = slice.map((item, i) => (actual++, fieldsOf(c.selection!, node, item, [...path, c.key, i])))
      else if (c.name === 'edges') {
        out[c.key] = slice.map((item, i) => {
          actual++
          const edge: Record<string, unknown> = {}
          for (const e of c.selection!) edge[e.key] = e.name === 'cursor' ? source.cursorOf(item) : fieldsOf(e.selection!, node, item, [...path, c.key, i, e.key])
          return edge
        })
      } else {
        const info: Record<string, unknown> = {
          hasNextPage: start + slice.length < source.length,
          hasPreviousPage: start > 0,
          startCursor: slice.length ? source.cursorOf(slice[0]) : null,
          endCursor: slice.length ? source.cursorOf(slice.at(-1)) : null,
        }
        out[c.key] = Object.fromEntries(c.selection!.map((p) => [p.key, info[p.name]]))
      }
    }
    return out
  }

  const data = fieldsOf(op.selection, 'QueryRoot', root, [])
  // every root field refused: Shopify answers data null
  const allNull = op.selection.every((f) => data[f.key] === null) && errors.length > 0
  return { data: allNull ? null : data, errors, actualCost: actual }
}
