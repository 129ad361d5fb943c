/** The notify stage's plain statements on PostgreSQL (its own schema); skipped without TEST_DATABASE_URL. */
import { afterEach, beforeEach, describe, it } from 'vitest'
import { moduleSchema, TEST_DATABASE_URL, type PgSchema } from '../../testing/pg-schema.ts'
import { statementsRoundTrip } from './notify.sql.cases.ts'

describe.skipIf(!TEST_DATABASE_URL)('notify statements on PostgreSQL', () => {
  let pg: PgSchema | undefined
  beforeEach(async () => {
    pg = await moduleSchema('cm_notify')
  })
  afterEach(() => pg?.drop())

  it('claim, claimed rows, links, sent and failed: one transaction each, as the entities read them back', () => statementsRoundTrip(pg!.orm))
})
