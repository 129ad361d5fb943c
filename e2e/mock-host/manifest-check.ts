/**
 * Reads module.manifest.json the way a real host would and refuses a module whose host
 * contract range this host does not satisfy. A tiny semver subset, no dependency:
 * `x.y.z`, `=x.y.z`, `^x.y.z`, `~x.y.z`, comparators (`>=1.0.0 <2.0.0`) and `||`.
 */
import fs from 'node:fs'
import { ModuleManifest } from '@cm/contracts'

/** The version of the host contract (ports.ts + module.types.ts) this mock host implements. */
export const HOST_CONTRACT_VERSION = '1.0.0'

export const MANIFEST_PATH = new URL('../../module.manifest.json', import.meta.url)

type Version = [number, number, number]

function parseVersion(v: string): Version {
  const m = /^v?(\d+)\.(\d+)\.(\d+)$/.exec(v.trim())
  if (!m) throw new Error(`"${v}" is not a version (x.y.z)`)
  return [Number(m[1]), Number(m[2]), Number(m[3])]
}

function cmp(a: Version, b: Version): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2]
}

function comparatorHolds(v: Version, comparator: string): boolean {
  const m = /^(\^|~|>=|<=|>|<|=)?(.+)$/.exec(comparator)
  if (!m) throw new Error(`Unsupported range part "${comparator}"`)
  const op = m[1] ?? '='
  const base = parseVersion(m[2]!)
  const c = cmp(v, base)
  switch (op) {
    case '=':
      return c === 0
    case '>=':
      return c >= 0
    case '>':
      return c > 0
    case '<=':
      return c <= 0
    case '<':
      return c < 0
    case '~':
      return c >= 0 && cmp(v, [base[0], base[1] + 1, 0]) < 0
    default: {
      // '^': the left-most non-zero part must not change
      const upper: Version = base[0] > 0 ? [base[0] + 1, 0, 0] : base[1] > 0 ? [0, base[1] + 1, 0] : [0, 0, base[2] + 1]
      return c >= 0 && cmp(v, upper) < 0
    }
  }
}

export function satisfiesRange(version: string, range: string): boolean {
  const v = parseVersion(version)
  return range.split('||').some((alt) => {
    // `>= 1.0.0` is written with a space now and then; glue the operator back on
    const parts = alt.trim().replace(/(>=|<=|>|<|=|\^|~)\s+/g, '$1').split(/\s+/).filter(Boolean)
    if (parts.length === 0) throw new Error(`Empty range "${range}"`)
    return parts.every((p) => comparatorHolds(v, p))
  })
}

/** Loads and validates the manifest, and checks the contract range; throws a message for a human. */
export function loadModuleManifest(file: URL | string = MANIFEST_PATH, hostContract = HOST_CONTRACT_VERSION): ModuleManifest {
  let raw: unknown
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'))
  } catch (err) {
    throw new Error(`Cannot read the module manifest ${String(file)}: ${(err as Error).message}`)
  }
  const parsed = ModuleManifest.safeParse(raw)
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')
    throw new Error(`The module manifest ${String(file)} is not valid: ${issues}`)
  }
  const m = parsed.data
  let ok: boolean
  try {
    ok = satisfiesRange(hostContract, m.hostContract)
  } catch (err) {
    throw new Error(`Module "${m.id}" ${m.version} declares hostContract "${m.hostContract}", which this host cannot read: ${(err as Error).message}`)
  }
  if (!ok) {
    throw new Error(
      `Module "${m.id}" ${m.version} needs host contract "${m.hostContract}", but this host implements ${hostContract}. ` +
        'Refusing to start: use a module version made for this host, or update the host.',
    )
  }
  return m
}
