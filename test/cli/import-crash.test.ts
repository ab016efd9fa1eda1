import { createHash } from 'node:crypto'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseCsv } from '../../src/main/core/csv'
import { sqlAll } from '../fixtures/sql'
import { tempDir } from '../fixtures/temp'
import {
  AS_OWNER,
  ensureCliBuilt,
  initPassphraseDb,
  openForTampering,
  ownerStdin,
  tessera,
  tesseraProcess,
} from './helpers'

const ROWS = 4000
const codeHash = (code: string): string =>
  createHash('sha256').update(code.toUpperCase().replace(/[\s-]/g, '')).digest('hex')

describe('tessera users import killed part-way', () => {
  let t: ReturnType<typeof tempDir>
  let db: string
  let env: NodeJS.ProcessEnv
  beforeAll(async () => {
    await ensureCliBuilt()
    t = tempDir()
    db = join(t.dir, 'tessera.db')
    env = initPassphraseDb(db)
  })
  afterAll(() => t.cleanup())

  /** Every imported person and the hash of their current invitation. */
  async function invitedPeople(): Promise<Map<string, string>> {
    const { db: store } = await openForTampering(db)
    try {
      const rows = await sqlAll<{ email: string; code_hash: string }>(
        store,
        `SELECT u.email, i.code_hash FROM users u JOIN invitations i ON i.user_id = u.id
         WHERE u.email >= 'k' AND u.email < 'l'`,
      )
      return new Map(rows.map((r) => [r.email, r.code_hash]))
    } finally {
      await store.close()
    }
  }

  it('leaves every committed user a readable code, and running it again finishes the import', async () => {
    const file = join(t.dir, 'people.csv')
    const out = join(t.dir, 'invitations.csv')
    const lines = Array.from({ length: ROWS }, (_, i) => `k${i}@example.com,Person ${i},member,yes`)
    writeFileSync(file, `email,name,role,require_2fa\n${lines.join('\n')}\n`)
    const args = ['--db', db, 'users', 'import', file, '--output', out, '--batch-size', '20', ...AS_OWNER]

    const child = tesseraProcess(args, { input: ownerStdin(), env })
    let stderr = ''
    const killed = await new Promise<NodeJS.Signals | null>((resolve) => {
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString('utf8')
        const at = [...stderr.matchAll(/Imported (\d+)\//g)].at(-1)
        if (at && Number(at[1]) >= 400) child.kill('SIGKILL')
      })
      child.on('close', (_code, signal) => resolve(signal))
    })
    expect(killed, stderr).toBe('SIGKILL')

    // Every user committed before the kill has a code that opens their invitation: in the output, or
    // (at most the batch being written when the process died) still held in the database.
    const committed = await invitedPeople()
    expect(committed.size).toBeGreaterThanOrEqual(400)
    expect(committed.size).toBeLessThan(ROWS)
    const written = parseCsv(readFileSync(out, 'utf8'))
    expect(written[0]!.cells).toEqual(['email', 'name', 'role', 'invitation_code', 'expires_at'])
    const inOutput = new Map(written.slice(1).map((r) => [r.cells[0]!, r.cells[3]!]))
    for (const [email, code] of inOutput) expect(committed.get(email)).toBe(codeHash(code))
    expect(committed.size - inOutput.size).toBeLessThanOrEqual(20)

    // The same command again: the rows in are skipped, the codes not yet written come, the rest is imported.
    const again = tessera([...args, '--json'], { input: ownerStdin(), env })
    expect(again.status, again.stderr).toBe(0)
    expect(again.json()).toMatchObject({
      imported: ROWS - committed.size,
      alreadyImported: committed.size,
      skipped: [],
    })
    const all = await invitedPeople()
    expect(all.size).toBe(ROWS)
    const codes = new Map(
      parseCsv(readFileSync(out, 'utf8'))
        .slice(1)
        .map((r) => [r.cells[0]!, r.cells[3]!]),
    )
    expect(codes.size).toBe(ROWS)
    for (const [email, hash] of all) expect(codeHash(codes.get(email)!), email).toBe(hash)
    expect(existsSync(`${out}.tmp`)).toBe(false)
    // Nothing is held once written.
    const { db: store } = await openForTampering(db)
    try {
      expect(await sqlAll(store, 'SELECT user_id FROM import_codes')).toEqual([])
    } finally {
      await store.close()
    }
  }, 120_000)
})
