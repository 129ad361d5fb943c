import { describe, expect, it } from 'vitest'
import * as data from './first-screen.data.ts'
import { inlinedModule } from './inline.ts'

describe('the contract data inlined for the first screen', () => {
  it('is plain data: written out as JSON it reads back the same', () => {
    for (const [name, value] of Object.entries(data)) expect(JSON.parse(JSON.stringify(value)), name).toEqual(value)
  })

  it('is written out as one export per name', async () => {
    const code = inlinedModule(data)
    const back = (await import(/* @vite-ignore */ `data:text/javascript,${encodeURIComponent(code)}`)) as Record<string, unknown>
    expect({ ...back }).toEqual({ ...data })
  })

  it('refuses what JSON would lose', () => {
    expect(() => inlinedModule({ f: () => 1 })).toThrow(/f/)
    expect(() => inlinedModule({ d: new Date(0) })).toThrow(/d/)
  })
})
