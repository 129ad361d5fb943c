/**
 * How the mock writes answers, after WebserviceOutputJSON / WebserviceOutputXML: lists as
 * `{"customers":[…]}` (a bare `[]` when empty), ids only without `display`, multilingual
 * fields as a string on a one-language shop else `[{id, value}]`, errors as
 * `{"errors":[{code,message}]}`; integer columns as JSON numbers (8.1 on PHP 8.1) or strings (8.2).
 */
import type { Display, Row } from './prestashop.mock-query.ts'

export type JsonTypes = 'strings' | 'numbers'
export type OutputFormat = 'JSON' | 'XML'

export interface RenderContext {
  format: OutputFormat
  jsonTypes: JsonTypes
  /** the shop's language ids */
  languages: readonly number[]
}

/** a column's value as the writer emits it: numbers stay numbers only under PHP 8.1's native types */
function scalar(v: unknown, ctx: RenderContext): unknown {
  if (typeof v === 'number') return ctx.jsonTypes === 'numbers' ? v : String(v)
  return v
}

function field(v: unknown, ctx: RenderContext): unknown {
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    const byLang = v as Record<number, string>
    const values = ctx.languages.map((id) => ({ id: scalar(id, ctx), value: byLang[id] ?? '' }))
    return values.length === 1 ? values[0]!.value : values
  }
  return scalar(v, ctx)
}

/** one row in the fields `display` asks for (`associations` with `full`) */
export function shapeRow(row: Row, fields: readonly string[], display: Display, ctx: RenderContext): Row {
  const wanted = display === 'minimum' ? ['id'] : display === 'full' ? fields : fields.filter((f) => display.includes(f))
  const out: Row = {}
  for (const f of wanted) out[f] = field(row[f], ctx)
  const groups = row.groups
  if (display === 'full' && Array.isArray(groups)) out.associations = { groups: groups.map((id) => ({ id: scalar(id, ctx) })) }
  return out
}

const cdata = (v: unknown) => (v === null || v === undefined || v === '' ? '' : `<![CDATA[${String(v)}]]>`)

function xmlRow(node: string, row: Row): string {
  const inner = Object.entries(row)
    .map(([k, v]) => {
      if (k === 'associations') {
        const groups = ((v as { groups: Row[] }).groups ?? []).map((g) => `<group><id>${cdata(g.id)}</id></group>`).join('')
        return `<associations><groups nodeType="group" api="groups">${groups}</groups></associations>`
      }
      if (Array.isArray(v)) return `<${k}>${(v as Row[]).map((l) => `<language id="${String(l.id)}">${cdata(l.value)}</language>`).join('')}</${k}>`
      return `<${k}>${cdata(v)}</${k}>`
    })
    .join('\n')
  return `<${node}>\n${inner}\n</${node}>`
}

const XML_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n<prestashop xmlns:xlink="http://www.w3.org/1999/xlink">\n'

/** a list answer's body and content type */
export function renderList(resource: string, node: string, rows: readonly Row[], display: Display, ctx: RenderContext): { body: string; type: string } {
  if (ctx.format === 'JSON') {
    // WebserviceOutputJSON encodes its content array: nothing matched → []
    return { body: JSON.stringify(rows.length === 0 ? [] : { [resource]: rows }), type: 'application/json' }
  }
  const items = display === 'minimum' ? rows.map((r) => `<${node} id="${String(r.id)}" xlink:href="/api/${resource}/${String(r.id)}"/>`) : rows.map((r) => xmlRow(node, r))
  return { body: `${XML_HEAD}<${resource}>\n${items.join('\n')}\n</${resource}>\n</prestashop>\n`, type: 'text/xml;charset=utf-8' }
}

/** one resource (GET /api/customers/2): the JSON writer drops empty and zero fields */
export function renderOne(node: string, row: Row, ctx: RenderContext): { body: string; type: string } {
  if (ctx.format === 'JSON') {
    const kept = Object.fromEntries(Object.entries(row).filter(([, v]) => v !== null && v !== '' && v !== 0 && v !== '0'))
    return { body: JSON.stringify({ [node]: kept }), type: 'application/json' }
  }
  return { body: `${XML_HEAD}${xmlRow(node, row)}\n</prestashop>\n`, type: 'text/xml;charset=utf-8' }
}

export function renderErrors(errors: ReadonlyArray<{ code: number; message: string }>, ctx: Pick<RenderContext, 'format'>): { body: string; type: string } {
  if (ctx.format === 'JSON') return { body: JSON.stringify({ errors }), type: 'application/json' }
  const items = errors.map((e) => `<error>\n<code>${cdata(e.code)}</code>\n<message>${cdata(e.message)}</message>\n</error>`).join('\n')
  return { body: `${XML_HEAD}<errors>\n${items}\n</errors>\n</prestashop>\n`, type: 'text/xml;charset=utf-8' }
}
