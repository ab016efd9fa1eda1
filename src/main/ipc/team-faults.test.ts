import { createServer, Socket, type Server } from 'node:net'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createTestDatabase, dropTestDatabase, onPostgres } from '../../../test/fixtures/engine'
import { OWNER, startBackend } from '../../../test/fixtures/harness'
import { codeOf, value } from '../../../test/fixtures/results'
import type { SessionState } from '../../shared/dto'

/**
 * The network between a console and its team database, as a switch the test can turn off and on: a TCP
 * relay to the real server. Turning it off cuts every open connection, as a server restart does.
 */
async function relayTo(url: string) {
  const target = new URL(url)
  const sockets = new Set<Socket>()
  let server: Server | undefined
  let port = 0
  const up = async () => {
    server = createServer((client) => {
      const upstream = new Socket()
      upstream.connect(Number(target.port || 5432), target.hostname)
      for (const s of [client, upstream]) {
        sockets.add(s)
        s.on('close', () => sockets.delete(s))
        s.on('error', () => s.destroy())
      }
      client.pipe(upstream).pipe(client)
    })
    await new Promise<void>((resolve) => server!.listen(port, '127.0.0.1', resolve))
    port = (server.address() as { port: number }).port
  }
  const down = async () => {
    for (const s of sockets) s.destroy()
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()))
    server = undefined
  }
  await up()
  const via = new URL(url)
  via.hostname = '127.0.0.1'
  via.port = String(port)
  return { url: via.toString(), up, down }
}

describe.skipIf(!onPostgres)('a team database that goes away', () => {
  let url: string
  let relay: Awaited<ReturnType<typeof relayTo>>
  beforeEach(async () => {
    url = await createTestDatabase()
    relay = await relayTo(url)
  })
  afterEach(async () => {
    await relay.down()
    await dropTestDatabase(url)
  })

  it('reports an interrupted call as not saved, then reconnects by itself when the server is back', async () => {
    const h = await startBackend({ databaseUrl: relay.url })
    try {
      await h.setup()
      value(await h.call('users.create', { email: 'mia@example.com', name: 'Mia', role: 'member' }))
      await relay.down()
      const cut = await h.call('users.create', { email: 'max@example.com', name: 'Max', role: 'member' })
      expect(codeOf(cut)).toBe('DATABASE')
      expect(cut.ok ? '' : cut.error.message).toMatch(/reconnecting\. Nothing of this action was saved/)
      await relay.up()
      // The same request again: saved once, with no trace of the first attempt.
      value(await h.call('users.create', { email: 'max@example.com', name: 'Max', role: 'member' }))
      const page = value<{ users: { email: string }[] }>(await h.call('users.list', { limit: 10 }))
      expect(page.users.map((u) => u.email).sort()).toEqual([
        'max@example.com',
        'mia@example.com',
        OWNER.email,
      ])
      const created = (await h.backend.services().audit.list(undefined, 50)).events.filter(
        (e) => e.type === 'user.created',
      )
      expect(created).toHaveLength(2)
      expect((await h.backend.services().audit.verify()).ok).toBe(true)
    } finally {
      await h.cleanup()
    }
  })

  it('waits for a server that is down at start, says so, and opens when it answers', async () => {
    const first = await startBackend({ databaseUrl: relay.url })
    await first.setup()
    await first.backend.close()
    await relay.down()
    const h = await first.restart()
    const gate = first.gateOf(h)
    try {
      const waiting = value<SessionState>(await gate('w', 'session.state', {}))
      expect(waiting).toMatchObject({ phase: 'db-error', code: 'DB_REFUSED' })
      expect(waiting.phase === 'db-error' ? waiting.message : '').toMatch(
        /Cannot reach PostgreSQL at 127\.0\.0\.1/,
      )
      await relay.up()
      first.clock.advance(3000)
      expect(value<SessionState>(await gate('w', 'session.state', {})).phase).toBe('signed-out')
      expect(codeOf(await gate('w', 'auth.login', { email: OWNER.email, password: OWNER.password }))).toBe(
        'OK',
      )
    } finally {
      await h.close()
      await first.cleanup()
    }
  })
})
