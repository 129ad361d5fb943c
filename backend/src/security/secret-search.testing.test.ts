/** countSecret finds a secret where a careless path would leave it, in each of its plain forms. */
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { makeTempDir, removeTempDir } from '../testing/temp-dir.ts'
import { startTestModule } from '../testing/test-module.ts'
import { countSecret, secretForms } from './secret-search.testing.ts'

const SECRET = 'Tajne-Hasło-9f!'
const dir = makeTempDir('secret-search-')
afterAll(() => removeTempDir(dir))

describe('countSecret', () => {
  it('counts every occurrence in texts and in file bytes, in each form', async () => {
    writeFileSync(path.join(dir, 'a.log'), `${SECRET} and ${Buffer.from(`api:${SECRET}`).toString('base64')}`)
    const texts = [`password=${encodeURIComponent(SECRET)}`, 'nothing here', `${SECRET}${SECRET}`]
    expect(await countSecret({ secret: SECRET, login: 'api', paths: [dir], texts })).toBe(5)
    expect(await countSecret({ secret: SECRET, texts: ['Tajne-Haslo-9f!'] })).toBe(0)
  })

  it('reads every table of the module database', async () => {
    const t = await startTestModule()
    try {
      expect(await countSecret({ secret: SECRET, orm: t.orm })).toBe(0)
      // any text column of any table: here the admin id of a preference row
      await t.orm.em.fork().getConnection().execute('insert into xcm_preference (admin_id, confirm_before_import, updated_at) values (?, 1, ?)', [SECRET, new Date().toISOString()])
      expect(await countSecret({ secret: SECRET, orm: t.orm })).toBe(1)
    } finally {
      await t.close()
    }
  })

  it('the forms: as typed, URL-encoded, base64, its UTF-8 bytes as latin1, Basic login:secret', () => {
    expect(secretForms(SECRET, 'api')).toHaveLength(5)
    // URL-encoding and latin1 change nothing here
    expect(secretForms('ascii-only')).toEqual(['ascii-only', Buffer.from('ascii-only').toString('base64')])
  })
})
