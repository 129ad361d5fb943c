/** The notify stage's plain statements against the entities, shared by the SQLite and the PostgreSQL test. */
import type { MikroORM } from '@mikro-orm/core'
import { expect } from 'vitest'
import { BufferCustomerEntity } from '../../db/buffer-customer.entity.ts'
import { ImportEntity } from '../../db/import.entity.ts'
import { PasswordTokenEntity } from '../../db/password-token.entity.ts'
import { newBufferRow } from '../buffer/buffer.rows.ts'
import { emptyGeneration } from '../fetch/generation.ts'
import { address, customer } from '../xml/xml.fixtures.ts'
import { notifyTransaction } from './notify.sql.ts'

export async function statementsRoundTrip(orm: MikroORM): Promise<void> {
  const now = new Date(Date.UTC(2026, 11, 3, 12, 0, 0, 123))
  const importId = (await orm.em.fork().insert(ImportEntity, {
    platform: '', domain: 'plik.xml', origin: 'upload', shopIds: ['1'], status: 'completed', credentials: null, fetched: 0, total: null,
    checkpoint: null, generation: emptyGeneration(), verification: null, filePath: null, fileSize: 0, fileCustomers: null,
    createdBy: 'test', leaseOwner: null, leaseUntil: null, createdAt: now, updatedAt: now,
  })) as number
  const people = [
    customer('a', { email: 'a@example.pl', firstName: 'Łucja', addresses: [address()] }),
    customer('b', { email: 'b@example.pl', addresses: [address()] }),
    customer('c', { email: 'c@example.pl', addresses: [address()] }),
    customer('d', { email: 'd@example.pl', addresses: [address()] }),
  ]
  const states = [
    { state: 'imported', notifyState: 'none' },
    { state: 'imported', notifyState: 'failed', edit: { firstName: 'Zofia' } },
    { state: 'pending', notifyState: 'none' },
    { state: 'imported', notifyState: 'sent' },
  ]
  await orm.em.fork().insertMany(
    BufferCustomerEntity,
    people.map((c, i) => ({ ...newBufferRow(importId, i, c, now), ...states[i], panelCustomerId: states[i]!.state === 'imported' ? `p${i}` : null })),
  )
  const ids = (await orm.em.fork().find(BufferCustomerEntity, { importId }, { orderBy: { id: 'asc' } })).map((r) => r.id)
  const [a, b, c, d] = ids as [number, number, number, number]
  await orm.em.fork().insert(PasswordTokenEntity, { tokenHash: 'old-b', bufferCustomerId: b, panelCustomerId: 'p1', expiresAt: now, usedAt: null, createdAt: now })

  // a failing transaction leaves nothing claimed and no link
  await expect(
    notifyTransaction(orm.em.fork(), async (tx) => {
      await tx.claim({ importId, ids, from: ['none', 'failed'], claim: 'lost' })
      await tx.insertTokens([{ tokenHash: 'lost', bufferCustomerId: a, panelCustomerId: 'p0', expiresAt: now, createdAt: now }])
      throw new Error('boom')
    }),
  ).rejects.toThrow('boom')
  expect(await orm.em.fork().count(BufferCustomerEntity, { claimToken: 'lost' })).toBe(0)
  expect(await orm.em.fork().count(PasswordTokenEntity, { tokenHash: 'lost' })).toBe(0)

  const claimed = await notifyTransaction(orm.em.fork(), async (tx) => {
    await tx.claim({ importId, ids, from: ['none', 'failed'], claim: 'w1' })
    const rows = await tx.claimed(importId, 'w1')
    await tx.retireTokens(rows.map((r) => r.id), now)
    await tx.insertTokens(rows.map((r) => ({ tokenHash: `new-${r.id}`, bufferCustomerId: r.id, panelCustomerId: r.panelCustomerId!, expiresAt: new Date(now.getTime() + 3_600_000), createdAt: now })))
    return rows
  })
  // only imported rows in one of the states asked for, with their customer data as stored
  expect(claimed).toEqual([
    { id: a, data: people[0], edit: null, login: newBufferRow(importId, 0, people[0]!, now).login, panelCustomerId: 'p0' },
    { id: b, data: people[1], edit: { firstName: 'Zofia' }, login: newBufferRow(importId, 1, people[1]!, now).login, panelCustomerId: 'p1' },
  ])
  const tokens = await orm.em.fork().find(PasswordTokenEntity, {}, { orderBy: { id: 'asc' } })
  expect(tokens.map((t) => [t.tokenHash, t.bufferCustomerId, t.usedAt?.getTime() ?? null])).toEqual([
    ['old-b', b, now.getTime()],
    [`new-${a}`, a, null],
    [`new-${b}`, b, null],
  ])
  expect(tokens[1]!.expiresAt.getTime()).toBe(now.getTime() + 3_600_000)

  // another claim cannot take rows already sending
  const second = await notifyTransaction(orm.em.fork(), async (tx) => {
    await tx.claim({ importId, ids, from: ['none', 'failed', 'sent', 'unknown'], claim: 'w2' })
    return tx.claimed(importId, 'w2')
  })
  expect(second.map((r) => r.id)).toEqual([d])

  await notifyTransaction(orm.em.fork(), async (tx) => {
    await tx.markSent('w1', [a], now)
    await tx.markFailed('w1', b, 'SMTP 550')
    // a claim token of another window changes nothing
    await tx.markSent('w1', [d], now)
  })
  const rows = await orm.em.fork().find(BufferCustomerEntity, { importId }, { orderBy: { id: 'asc' } })
  expect(rows.map((r) => [r.notifyState, r.notifiedAt?.getTime() ?? null, r.notifyError, r.claimToken])).toEqual([
    ['sent', now.getTime(), null, null],
    ['failed', null, 'SMTP 550', null],
    ['none', null, null, null],
    ['sending', null, null, 'w2'],
  ])
  expect(rows.map((r) => r.id)).toEqual([a, b, c, d])
}
