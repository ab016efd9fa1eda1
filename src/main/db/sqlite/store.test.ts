import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { tempDir } from '../../../../test/fixtures/temp'
import { AuditLog } from '../../core/audit'
import { ManualClock } from '../../adapters/clock'
import { createEncrypted, openEncrypted } from '../connection'
import type { Store } from '../store'
import { sqliteStore } from './store'

// The file's write transactions run BEGIN IMMEDIATE and COMMIT on its synchronous driver themselves; what
// the query builder's transactions guaranteed must hold all the same.
describe("the file's write transactions", () => {
  let temp: ReturnType<typeof tempDir>
  let path: string
  let key: Buffer
  let store: Store
  let audit: AuditLog
  const clock = new ManualClock(Date.UTC(2026, 10, 28, 9))
  const count = async (s: Store) =>
    Number(
      (
        await s.q
          .selectFrom('audit_events')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    )

  beforeEach(() => {
    temp = tempDir()
    path = join(temp.dir, 'store.db')
    key = randomBytes(32)
    store = sqliteStore(createEncrypted(path, key))
    audit = new AuditLog(store, clock)
  })
  afterEach(async () => {
    await store.close()
    temp.cleanup()
  })

  it('commit what the work wrote, builder queries and prepared ones alike, as one transaction', async () => {
    const begun = store.transactionsBegun
    await store.transaction(async () => {
      await audit.append({ type: 'test.first' })
      await store.q.insertInto('settings').values({ key: 'test.setting', value: 'kept' }).execute()
      // Joined, not begun again.
      await store.transaction(() => audit.append({ type: 'test.second' }))
    })
    expect(store.transactionsBegun - begun).toBe(1)
    expect(await count(store)).toBe(2)
    const setting = await store.q
      .selectFrom('settings')
      .select('value')
      .where('key', '=', 'test.setting')
      .executeTakeFirst()
    expect(setting?.value).toBe('kept')
    expect(await audit.verify()).toMatchObject({ ok: true, count: 2 })
  })

  it('roll back all of it when the work throws, and the error is the one the work threw', async () => {
    await audit.append({ type: 'test.before' })
    await expect(
      store.transaction(async () => {
        await audit.append({ type: 'test.lost' })
        await store.q.insertInto('settings').values({ key: 'test.lost', value: 'x' }).execute()
        throw new Error('the action failed')
      }),
    ).rejects.toThrow('the action failed')
    expect(await count(store)).toBe(1)
    expect(
      await store.q.selectFrom('settings').select('value').where('key', '=', 'test.lost').executeTakeFirst(),
    ).toBeUndefined()
    // The chain goes on from the event that was committed.
    await audit.append({ type: 'test.after' })
    expect(await audit.verify()).toMatchObject({ ok: true, count: 2 })
  })

  it('refuse a query made through an ended transaction instead of running it outside it', async () => {
    let late: (() => Promise<unknown>) | undefined
    await store.transaction(async () => {
      const tx = store.q
      late = () => tx.insertInto('settings').values({ key: 'test.late', value: 'x' }).execute()
    })
    await expect(late!()).rejects.toThrow(/already ended/)
    expect(
      await store.q.selectFrom('settings').select('value').where('key', '=', 'test.late').executeTakeFirst(),
    ).toBeUndefined()
  })

  it('close the file on close, even when all the store ran were write transactions', async () => {
    const file = openEncrypted(path, key)
    const other = sqliteStore(file)
    await other.transaction(() => new AuditLog(other, clock).append({ type: 'test.only' }))
    await other.close()
    expect(file.open).toBe(false)
    // The first store goes on with the file as before.
    await audit.append({ type: 'test.after' })
    expect(await audit.verify()).toMatchObject({ ok: true, count: 2 })
  })

  it('take turns with another store on the same file: the second begins once the first has committed', async () => {
    // A second connection to the file: another console in the same process.
    const other = sqliteStore(openEncrypted(path, key))
    const otherAudit = new AuditLog(other, clock)
    try {
      const order: string[] = []
      let release!: () => void
      const held = new Promise<void>((resolve) => (release = resolve))
      const first = store.transaction(async () => {
        await audit.append({ type: 'test.first' })
        order.push('first appended')
        await held
        order.push('first done')
      })
      const second = other.transaction(async () => {
        order.push('second began')
        await otherAudit.append({ type: 'test.second' })
      })
      await new Promise((resolve) => setTimeout(resolve, 20))
      release()
      await Promise.all([first, second])
      expect(order).toEqual(['first appended', 'first done', 'second began'])
      expect(await audit.verify()).toMatchObject({ ok: true, count: 2 })
    } finally {
      await other.close()
    }
  })
})
