import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { OWNER, startBackend } from '../../../test/fixtures/harness'
import { AppError } from '../../shared/result'
import { BACKUP_CODE_ALPHABET, BACKUP_CODE_BITS } from './backup-codes'
import { buildServices } from './services'
import { passwordPolicy } from '../../../test/fixtures/harness'
import { sqlAll, sqlValue } from '../../../test/fixtures/sql'
import { fromBase32, totpAt } from './totp'

type Harness = Awaited<ReturnType<typeof startBackend>>
const client = { via: 'desktop' as const, machine: 'front-desk-pc' }

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p
    return 'OK'
  } catch (e) {
    if (e instanceof AppError) return e.code
    throw e
  }
}

describe('two-factor authentication', () => {
  let h: Harness
  let userId: number
  beforeEach(async () => {
    h = await startBackend()
    userId = (await h.setup()).id
  })
  afterEach(() => h.cleanup())

  const services = () => h.backend.services()
  const appCode = async (secretB32: string, offsetSteps = 0) => {
    const secret = fromBase32(secretB32)
    return totpAt({ secret, algorithm: 'sha1', digits: 6, period: 30 }, h.clock.now() + offsetSteps * 30_000)
  }
  const enroll = async () => {
    const start = await services().twoFactor.startEnrollment({ id: userId, email: OWNER.email }, client)
    const { backupCodes } = await services().twoFactor.confirmEnrollment(
      userId,
      await appCode(start.secret),
      client,
    )
    return { secret: start.secret, backupCodes }
  }

  it('stores nothing until the first code verifies, and abandoning leaves 2FA off', async () => {
    const tf = services().twoFactor
    const start = await tf.startEnrollment({ id: userId, email: OWNER.email }, client)
    expect(start.manualKey.replace(/ /g, '')).toBe(start.secret)
    expect(start.secret).toMatch(/^[A-Z2-7]{32}$/) // 20 bytes
    expect(await codeOf(tf.confirmEnrollment(userId, '000000', client))).toBe('INVALID_CODE')
    expect(await tf.status(userId)).toMatchObject({ enrolled: false, backupCodesTotal: 0 })
    await tf.abandonEnrollment(userId, client)
    expect(await codeOf(tf.confirmEnrollment(userId, await appCode(start.secret), client))).toBe('NOT_FOUND')
    const types = (
      await sqlAll<{ type: string }>(services().db, 'SELECT type FROM audit_events ORDER BY seq')
    ).map((r) => r.type)
    expect(types).toEqual([
      'setup.owner_created',
      '2fa.enrollment_started',
      '2fa.code_refused',
      '2fa.enrollment_abandoned',
    ])
  })

  it('issues five distinct backup codes of at least 50 bits, stored only as Argon2id hashes', async () => {
    const { backupCodes } = await enroll()
    expect(backupCodes).toHaveLength(5)
    expect(new Set(backupCodes).size).toBe(5)
    for (const c of backupCodes)
      expect(c).toMatch(new RegExp(`^[${BACKUP_CODE_ALPHABET}]{5}-[${BACKUP_CODE_ALPHABET}]{5}$`))
    expect(BACKUP_CODE_BITS).toBeGreaterThanOrEqual(50)
    const hashes = (
      await sqlAll<{ code_hash: string }>(services().db, 'SELECT code_hash FROM backup_codes')
    ).map((r) => r.code_hash)
    expect(hashes).toHaveLength(5)
    for (const hsh of hashes) expect(hsh).toMatch(/^\$argon2id\$/)
    const dump = JSON.stringify(await sqlAll(services().db, 'SELECT * FROM audit_events'))
    for (const c of backupCodes) expect(dump).not.toContain(c)
  })

  it('accepts the app code once; the same code again is a replay; 2 steps away is refused', async () => {
    const { secret } = await enroll()
    const tf = services().twoFactor
    h.clock.advance(30_000)
    const code = await appCode(secret)
    expect(await tf.verify(userId, { code }, client)).toEqual({ method: 'totp' })
    expect(await codeOf(tf.verify(userId, { code }, client))).toBe('CODE_REPLAYED')
    expect(await codeOf(tf.verify(userId, { code: await appCode(secret, -1) }, client))).toBe('CODE_REPLAYED')
    expect(await codeOf(tf.verify(userId, { code: await appCode(secret, 2) }, client))).toBe('INVALID_CODE')
    h.clock.advance(30_000)
    expect(await tf.verify(userId, { code: await appCode(secret) }, client)).toEqual({ method: 'totp' })
  })

  it('spends each backup code once, records slot, time and machine, and says when all are gone', async () => {
    const { backupCodes } = await enroll()
    const tf = services().twoFactor
    const first = await tf.verify(userId, { backupCode: backupCodes[2]!.toLowerCase() }, client)
    expect(first).toEqual({ method: 'backup_code', slot: 3, backupCodesRemaining: 4 })
    expect(await codeOf(tf.verify(userId, { backupCode: backupCodes[2]! }, client))).toBe('INVALID_CODE')
    expect((await tf.status(userId)).slots[2]).toEqual({
      slot: 3,
      usedAt: h.clock.now(),
      usedMachine: 'front-desk-pc',
    })
    for (const c of [backupCodes[0]!, backupCodes[1]!, backupCodes[3]!, backupCodes[4]!.replace('-', ' ')]) {
      h.clock.advance(60_000)
      await tf.verify(userId, { backupCode: c }, client)
    }
    expect((await tf.status(userId)).backupCodesRemaining).toBe(0)
    expect(await codeOf(tf.verify(userId, { backupCode: backupCodes[0]! }, client))).toBe('NO_BACKUP_CODES')
    const used = (
      await sqlAll<{ data: string }>(
        services().db,
        "SELECT data FROM audit_events WHERE type = '2fa.backup_code_used' ORDER BY seq",
      )
    ).map((r) => JSON.parse(r.data) as { slot: number })
    expect(used.map((u) => u.slot)).toEqual([3, 1, 2, 4, 5])
  })

  it('lets exactly one of two connections spend the same backup code at the same moment', async () => {
    const { backupCodes } = await enroll()
    const other = await h.openAgain()
    const second = buildServices(other, { clock: h.clock, passwordPolicy: passwordPolicy() })
    const results = await Promise.all([
      codeOf(services().twoFactor.verify(userId, { backupCode: backupCodes[0]! }, client)),
      codeOf(second.twoFactor.verify(userId, { backupCode: backupCodes[0]! }, client)),
    ])
    await second.close()
    expect(results.sort()).toEqual(['INVALID_CODE', 'OK'])
    expect((await services().twoFactor.status(userId)).backupCodesRemaining).toBe(4)
  })

  it('locks the second factor after repeated wrong codes, apart from the password, and refuses the right code while locked', async () => {
    const { secret } = await enroll()
    const tf = services().twoFactor
    let last = ''
    for (let i = 0; i < 10; i++) {
      h.clock.advance(61_000)
      last = await codeOf(tf.verify(userId, { code: '000000' }, client))
    }
    expect(last).toBe('ACCOUNT_LOCKED')
    expect(await codeOf(tf.verify(userId, { code: await appCode(secret) }, client))).toBe('ACCOUNT_LOCKED')
    expect(await codeOf(services().auth.login(OWNER.email, OWNER.password, client))).toBe('OK')
    const locked = await sqlValue<string>(
      services().db,
      "SELECT data FROM audit_events WHERE type = 'account.locked'",
    )
    expect(JSON.parse(locked)).toMatchObject({ factor: 'second_factor', consecutiveFailures: 10 })
    expect((await services().audit.verify()).ok).toBe(true)
  })

  it('regenerating backup codes makes the old set stop working', async () => {
    const { backupCodes } = await enroll()
    const { backupCodes: fresh } = await services().twoFactor.regenerateBackupCodes(userId, client)
    expect(await codeOf(services().twoFactor.verify(userId, { backupCode: backupCodes[0]! }, client))).toBe(
      'INVALID_CODE',
    )
    expect(await codeOf(services().twoFactor.verify(userId, { backupCode: fresh[0]! }, client))).toBe('OK')
  })
})
