import { describe, expect, it } from 'vitest'
import { loadConfig } from './config.ts'

describe('mock host config: DEMO_SHOPER_BUCKET', () => {
  it("is Shoper's own default when unset", () => {
    expect(loadConfig({}).demoShoperBucket).toBeNull()
  })
  it('reads limit:perSecond', () => {
    expect(loadConfig({ DEMO_SHOPER_BUCKET: '100:50' }).demoShoperBucket).toEqual({ limit: 100, leakPerSecond: 50 })
    expect(loadConfig({ DEMO_SHOPER_BUCKET: '10:0.5' }).demoShoperBucket).toEqual({ limit: 10, leakPerSecond: 0.5 })
  })
  it('refuses anything else with a message naming the variable', () => {
    for (const bad of ['fast', '10', '0:2', '10:0', '-1:2']) {
      expect(() => loadConfig({ DEMO_SHOPER_BUCKET: bad })).toThrow(/DEMO_SHOPER_BUCKET/)
    }
  })
})
