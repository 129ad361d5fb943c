/**
 * Triggers that keep xcm_import_count (import-count.entity.ts) equal to the buffer's rows per
 * state, plus `notified` (notify_state = 'sent'). SQLite fires per row; PostgreSQL per statement
 * with transition tables, so a batch of 500 moves a counter once, not 500 times. Counter rows are
 * upserted in (import, bucket) order so two writers never lock them in opposite orders.
 */
import type { RawDb, RawObjects } from './index.ts'

const BUFFER = 'xcm_buffer_customer'
const COUNTS = 'xcm_import_count'
const TRIGGERS = ['xcm_count_ins', 'xcm_count_upd', 'xcm_count_del'] as const

/** the buckets one row contributes to, as (import_id, bucket) rows of `src` */
const bucketsOf = (src: string) =>
  `select import_id, state as bucket from ${src} union all select import_id, 'notified' from ${src} where notify_state = 'sent'`

function sqliteTriggers(db: RawDb): string[] {
  const counts = db.name(COUNTS)
  const buffer = db.name(BUFFER)
  const bump = (who: 'NEW' | 'OLD', delta: number) => `
    insert into ${counts} (import_id, bucket, n) values (${who}.import_id, ${who}.state, ${delta})
      on conflict (import_id, bucket) do update set n = n + ${delta};
    insert into ${counts} (import_id, bucket, n) select ${who}.import_id, 'notified', ${delta} where ${who}.notify_state = 'sent'
      on conflict (import_id, bucket) do update set n = n + ${delta};`
  return [
    `create trigger if not exists xcm_count_ins after insert on ${buffer} begin ${bump('NEW', 1)} end`,
    `create trigger if not exists xcm_count_del after delete on ${buffer} begin ${bump('OLD', -1)} end`,
    `create trigger if not exists xcm_count_upd after update of state, notify_state, import_id on ${buffer}
       when OLD.state is not NEW.state or OLD.notify_state is not NEW.notify_state or OLD.import_id is not NEW.import_id
       begin ${bump('OLD', -1)} ${bump('NEW', 1)} end`,
  ]
}

function postgresTriggers(db: RawDb): string[] {
  const counts = db.name(COUNTS)
  const buffer = db.name(BUFFER)
  const fn = (name: string, body: string) => `
    create or replace function ${db.name(name)}() returns trigger language plpgsql as $fn$
    begin
      insert into ${counts} as c (import_id, bucket, n)
        select import_id, bucket, sum(d)::int from (${body}) moved
        group by import_id, bucket having sum(d) <> 0 order by import_id, bucket
      on conflict (import_id, bucket) do update set n = c.n + excluded.n;
      return null;
    end $fn$`
  const plus = `select import_id, bucket, 1 as d from (${bucketsOf('new_rows')}) b`
  const minus = `select import_id, bucket, -1 as d from (${bucketsOf('old_rows')}) b`
  return [
    fn('xcm_count_ins_fn', plus),
    fn('xcm_count_del_fn', minus),
    fn('xcm_count_upd_fn', `${plus} union all ${minus}`),
    `create or replace trigger xcm_count_ins after insert on ${buffer} referencing new table as new_rows for each statement execute function ${db.name('xcm_count_ins_fn')}()`,
    `create or replace trigger xcm_count_del after delete on ${buffer} referencing old table as old_rows for each statement execute function ${db.name('xcm_count_del_fn')}()`,
    `create or replace trigger xcm_count_upd after update on ${buffer} referencing old table as old_rows new table as new_rows for each statement execute function ${db.name('xcm_count_upd_fn')}()`,
  ]
}

async function installed(db: RawDb): Promise<number> {
  const names = TRIGGERS.map((t) => `'${t}'`).join(', ')
  const rows =
    db.dialect === 'sqlite'
      ? await db.rows<{ n: number }>(`select count(*) as n from sqlite_master where type = 'trigger' and name in (${names})`)
      : await db.rows<{ n: number }>(`select count(*)::int as n from pg_trigger where not tgisinternal and tgname in (${names}) and tgrelid = '${db.name(BUFFER)}'::regclass`)
  return Number(rows[0]?.n ?? 0)
}

export const countsObjects: RawObjects = {
  name: 'kept counts',
  async ensure(db) {
    const complete = (await installed(db)) === TRIGGERS.length
    for (const sql of db.dialect === 'sqlite' ? sqliteTriggers(db) : postgresTriggers(db)) await db.execute(sql)
    if (complete) return
    // first start with the triggers (or after a partial install): count what is already there, once
    await db.execute(`delete from ${db.name(COUNTS)}`)
    await db.execute(
      `insert into ${db.name(COUNTS)} (import_id, bucket, n) select import_id, bucket, count(*) from (${bucketsOf(db.name(BUFFER))}) b group by import_id, bucket`,
    )
  },
}
