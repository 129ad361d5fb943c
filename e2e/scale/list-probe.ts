/**
 * Times one action on a list screen as the page sees it: from the user's event (the click, the
 * select's change, the Enter) to the frame after the table shows the new rows — clocked inside
 * the page with performance.now(), so Playwright's own round trips are not in the figure. The
 * wait ends only when the rows are the answer (changed, or the load visibly ran, and every row
 * matches), so the figure measures real work; a wrong answer fails instead of being timed.
 */
import type { Locator, Page } from '@playwright/test'

export interface RowExpectation {
  /** the table's caption (its accessible name) */
  caption: string
  /** at least this many rows */
  minRows?: number
  /** each row shows one of these texts (compared lower-cased) in one of these columns (header texts) */
  every?: { columns: string[]; anyOf: string[] }
}

export interface Timing {
  /** user's event → the frame after the new rows */
  ms: number
  /** user's event → the new rows in the DOM (before layout and paint) */
  domMs: number
  /** the list request within it (resource timing), when there was one */
  requestMs: number | null
  rows: number
}

export type Trigger = 'click' | 'change' | 'submit'

interface ProbeArgs {
  root: unknown
  trigger: Trigger
  exp: RowExpectation
  before: string[]
  timeoutMs: number
}

type ProbeResult = Timing & { error?: string }

/** Runs in the page: arms the clock for the next trigger event and resolves once the rows are the answer. */
function arm({ root: rootArg, trigger, exp, before, timeoutMs }: ProbeArgs): void {
  const root = rootArg as Element
  const w = window as unknown as { __cmProbe?: Promise<ProbeResult> }
  let t0: number | null = null
  let busySeen = false
  const onEvent = () => {
    if (t0 === null) t0 = performance.now()
  }
  document.addEventListener(trigger, onEvent, true)
  performance.clearResourceTimings()

  const table = () => [...root.querySelectorAll('table')].find((t) => t.caption?.textContent?.trim() === exp.caption) ?? null
  const texts = (t: HTMLTableElement) => [...(t.tBodies[0]?.rows ?? [])].map((r) => r.textContent ?? '')
  const matches = (t: HTMLTableElement): string | null => {
    if (!exp.every) return null
    const headers = [...(t.tHead?.rows[0]?.cells ?? [])].map((c) => c.textContent?.trim() ?? '')
    const cols = exp.every.columns.map((h) => headers.indexOf(h))
    if (cols.some((i) => i < 0)) return `no column ${exp.every.columns.join('/')} in ${headers.join(', ')}`
    const wanted = exp.every.anyOf.map((s) => s.toLowerCase())
    for (const r of t.tBodies[0]?.rows ?? []) {
      const shown = cols.map((i) => r.cells[i]?.textContent ?? '').join(' ').toLowerCase()
      if (!wanted.some((s) => shown.includes(s))) return `a row without ${exp.every.anyOf.join(' / ')}: ${shown.slice(0, 200)}`
    }
    return null
  }

  w.__cmProbe = new Promise<ProbeResult>((resolve) => {
    /** the rows are the answer: only the frame that shows them is still awaited */
    let answered = false
    const finish = (r: ProbeResult) => {
      observer.disconnect()
      clearTimeout(timer)
      document.removeEventListener(trigger, onEvent, true)
      resolve(r)
    }
    const requestMs = (from: number) => {
      const hits = (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).filter((e) => e.startTime >= from && /\/buffer(\?|$)/.test(e.name))
      const last = hits.at(-1)
      return last ? last.responseEnd - last.startTime : null
    }
    const check = () => {
      if (t0 === null || answered) return
      const t = table()
      if (!t) return
      if (t.closest('[aria-busy]')?.getAttribute('aria-busy') === 'true') {
        busySeen = true
        return
      }
      const now = texts(t)
      const changed = now.join('\n') !== before.join('\n')
      // unchanged rows count only once the screen showed it loaded (an answer that happens to be the same)
      if (!changed && !busySeen) return
      if (now.length < (exp.minRows ?? 0)) {
        if (busySeen) finish({ ms: 0, domMs: 0, requestMs: null, rows: now.length, error: `${now.length} rows, wanted at least ${exp.minRows}` })
        return
      }
      const wrong = matches(t)
      if (wrong) {
        finish({ ms: 0, domMs: 0, requestMs: null, rows: now.length, error: wrong })
        return
      }
      answered = true
      const start = t0
      const domMs = performance.now() - start
      // the frame that shows them: after the next animation frame's paint
      requestAnimationFrame(() => setTimeout(() => finish({ ms: performance.now() - start, domMs, requestMs: requestMs(start), rows: now.length }), 0))
    }
    const observer = new MutationObserver(check)
    observer.observe(root, { subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ['aria-busy'] })
    const timer = setTimeout(() => finish({ ms: 0, domMs: 0, requestMs: null, rows: -1, error: `no answer in ${timeoutMs} ms (event seen: ${t0 !== null}, load seen: ${busySeen})` }), timeoutMs)
  })
}

/** The rows' texts now (empty when the table is not there). */
export async function rowTexts(root: Locator, caption: string): Promise<string[]> {
  return root.evaluate((el, cap) => {
    const t = [...el.querySelectorAll('table')].find((x) => x.caption?.textContent?.trim() === cap)
    return t ? [...(t.tBodies[0]?.rows ?? [])].map((r) => r.textContent ?? '') : []
  }, caption)
}

/**
 * The search box's text, then its form submitted — Enter, in one step: typed by Playwright on a
 * busy machine, the box's 350 ms debounce could fire between the text and the Enter and start the
 * search before the clock does.
 */
export async function submitSearch(box: Locator, term: string): Promise<void> {
  await box.evaluate((el, text) => {
    const input = el as HTMLInputElement
    input.value = text
    input.dispatchEvent(new Event('input', { bubbles: true }))
    input.form!.requestSubmit()
  }, term)
}

/** Times `action` (which must raise `trigger` in the page) until the table shows rows that meet `exp`; `what` names it in an error. */
export async function timeAction(page: Page, root: Locator, what: string, trigger: Trigger, exp: RowExpectation, action: () => Promise<void>, timeoutMs = 30_000): Promise<Timing> {
  const before = await rowTexts(root, exp.caption)
  const handle = await root.elementHandle()
  await page.evaluate(arm, { root: handle, trigger, exp, before, timeoutMs })
  await action()
  const r = await page.evaluate(() => (window as unknown as { __cmProbe: Promise<ProbeResult> }).__cmProbe)
  await handle?.dispose()
  if (r.error) throw new Error(`list probe, ${what}: ${r.error}`)
  return { ms: r.ms, domMs: r.domMs, requestMs: r.requestMs, rows: r.rows }
}

// ---- figures

export interface Figure {
  action: string
  n: number
  medianMs: number
  maxMs: number
  domMedianMs: number
  requestMedianMs: number | null
  rowsMin: number
  rowsMax: number
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  const m = Math.floor(s.length / 2)
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2
}

export class Figures {
  private readonly byAction = new Map<string, Timing[]>()
  add(action: string, t: Timing): void {
    this.byAction.set(action, [...(this.byAction.get(action) ?? []), t])
  }
  list(): Figure[] {
    return [...this.byAction].map(([action, ts]) => {
      const req = ts.map((t) => t.requestMs).filter((x): x is number => x !== null)
      return {
        action,
        n: ts.length,
        medianMs: Math.round(median(ts.map((t) => t.ms))),
        maxMs: Math.round(Math.max(...ts.map((t) => t.ms))),
        domMedianMs: Math.round(median(ts.map((t) => t.domMs))),
        requestMedianMs: req.length ? Math.round(median(req)) : null,
        rowsMin: Math.min(...ts.map((t) => t.rows)),
        rowsMax: Math.max(...ts.map((t) => t.rows)),
      }
    })
  }
}

/** `lists at 1,000,000 rows: search median X ms, max Y ms over N` — one line per action, for the closing note */
export function figureLines(rows: number, figures: Figure[]): string[] {
  const count = rows.toLocaleString('en-US')
  return figures.map((f) => `lists at ${count} rows: ${f.action} median ${f.medianMs} ms, max ${f.maxMs} ms over ${f.n}`)
}

/** the same as a table: action, n, median, max, then where the median went (the request; rows in the DOM), rows shown */
export function figureTable(figures: Figure[]): string {
  const head = ['action', 'n', 'median ms', 'max ms', 'request median ms', 'in DOM median ms', 'rows shown']
  const body = figures.map((f) => [
    f.action,
    String(f.n),
    String(f.medianMs),
    String(f.maxMs),
    f.requestMedianMs === null ? '–' : String(f.requestMedianMs),
    String(f.domMedianMs),
    f.rowsMin === f.rowsMax ? String(f.rowsMin) : `${f.rowsMin}–${f.rowsMax}`,
  ])
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)))
  const line = (cells: string[]) => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`
  return [line(head), `|${widths.map((w, i) => (i === 0 ? `:${'-'.repeat(w + 1)}` : `${'-'.repeat(w + 1)}:`)).join('|')}|`, ...body.map(line)].join('\n')
}
