import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEFAULT_POLICY } from '../../src/main/core/policy'
import { policySchema, type Policy } from '../../src/shared/schemas'
import { sqlValue } from '../fixtures/sql'
import { tempDir } from '../fixtures/temp'
import {
  AS_OWNER,
  auditEvents,
  ensureCliBuilt,
  initPassphraseDb,
  KEY_HOLDER,
  keyHolderStdin,
  OWNER_EMAIL,
  openForTampering,
  ownerStdin,
  tessera,
  type CliRun,
} from './helpers'

const PASSWORD = 'quiet-orchard-ladder-93'
const ADMIN = 'dee.admin@example.com'
const SUPPORT = 'sam.support@example.com'
const MEMBER = 'mia.member@example.com'

const kebab = (field: string): string => field.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)

describe('tessera policy', () => {
  let t: ReturnType<typeof tempDir>
  let db: string
  let env: NodeJS.ProcessEnv
  const run = (args: string[], input = ''): CliRun => tessera(['--db', db, ...args], { input, env })
  const asOwner = (args: string[]): CliRun => run([...args, ...AS_OWNER], ownerStdin())
  /** Someone other than the owner, without 2FA: their password is stdin's only line. */
  const as = (email: string, args: string[]): CliRun => run([...args, '--as', email], `${PASSWORD}\n`)
  const shown = (): Policy => {
    const r = asOwner(['policy', 'show', '--json'])
    expect(r.status, r.stderr).toBe(0)
    return r.json() as unknown as Policy
  }
  /** The policy as the database holds it, read without the CLI. */
  const stored = async (): Promise<Record<string, unknown>> => {
    const { db: raw } = await openForTampering(db)
    try {
      return JSON.parse(
        await sqlValue<string>(raw, 'SELECT value FROM settings WHERE key = ?', 'policy'),
      ) as Record<string, unknown>
    } finally {
      await raw.close()
    }
  }
  const policyEvents = () => auditEvents(db, env).filter((e) => e.type === 'policy.updated')

  beforeAll(async () => {
    await ensureCliBuilt()
    t = tempDir()
    db = join(t.dir, 'tessera.db')
    env = initPassphraseDb(db)
    for (const [email, role] of [
      [ADMIN, 'admin'],
      [SUPPORT, 'support'],
      [MEMBER, 'member'],
    ] as const) {
      // People who act with --as here sign in with the password alone: 2FA is not required of them.
      const added = asOwner([
        'users',
        'add',
        '--email',
        email,
        '--name',
        role,
        '--role',
        role,
        '--no-require-2fa',
        '--json',
      ])
      expect(added.status, added.stdout).toBe(0)
      const code = added.json().invitationCode as string
      const activated = run(['users', 'activate', '--email', email, '--code', '-'], `${PASSWORD}\n${code}\n`)
      expect(activated.status, activated.stderr).toBe(0)
    }
  })
  afterAll(() => t.cleanup())

  describe('who may change it', () => {
    it('refuses a member and a support agent (exit 9), before anything changes', () => {
      const before = shown()
      const eventsBefore = policyEvents().length
      for (const [email, label] of [
        [MEMBER, 'a member'],
        [SUPPORT, 'a support agent'],
      ] as const) {
        const r = as(email, ['policy', 'set', '--grace-period-days', '7', '--json'])
        expect(r.status, r.stdout).toBe(9)
        expect(r.json().error).toMatchObject({
          code: 'FORBIDDEN',
          message: `${email} is ${label}: this needs owner or admin.`,
        })
        const text = as(email, ['policy', 'set', '--idle-lock-minutes', '30'])
        expect(text.status).toBe(9)
        expect(text.stderr).toContain(`${email} is ${label}: this needs owner or admin.`)
      }
      expect(shown()).toEqual(before)
      expect(policyEvents()).toHaveLength(eventsBefore)
    })

    it('refuses an admin any setting that protects everyone, even beside one an admin may change', () => {
      const before = shown()
      const eventsBefore = policyEvents().length
      for (const args of [
        ['--recovery-cooling-off-minutes', '0'],
        ['--idle-lock-minutes', '60'],
        ['--failures-before-lock', '50'],
        ['--lock-minutes', '1'],
        ['--session-lifetime-hours', '1'],
        ['--notices-by', 'sms'],
        // The grace period alone an admin may change (as in the console); with a protective field, nothing.
        ['--grace-period-days', '30', '--recovery-request-hours', '720'],
      ]) {
        const r = as(ADMIN, ['policy', 'set', ...args, '--json'])
        expect(r.status, `${args.join(' ')}: ${r.stdout}`).toBe(9)
        expect(r.json().error).toMatchObject({
          code: 'FORBIDDEN',
          message:
            'Only an owner can change the settings that protect everyone (SMS, recovery, lockout, idle lock and session lifetime).',
        })
      }
      expect(shown()).toEqual(before)
      expect(policyEvents()).toHaveLength(eventsBefore)
    })

    it('refuses a wrong password for the person named, and nobody named at all', () => {
      const before = shown()
      const wrong = run(
        ['policy', 'set', '--grace-period-days', '9', ...AS_OWNER, '--json'],
        'not-the-password-at-all\n',
      )
      expect(wrong.status).toBe(3)
      const nobody = run(['policy', 'set', '--grace-period-days', '9', '--json'])
      expect(nobody.status).toBe(2)
      expect(nobody.json().error).toMatchObject({ code: 'USAGE', reason: 'WHO_ARE_YOU' })
      expect(run(['policy', 'show', '--json']).json().error).toMatchObject({ reason: 'WHO_ARE_YOU' })
      expect(shown()).toEqual(before)
    })

    it('lets an admin change the settings the console lets admins change: 2FA for new users, grace period', async () => {
      const r = as(ADMIN, [
        'policy',
        'set',
        '--grace-period-days',
        '3',
        '--require-two-factor-for-new-users',
        'false',
        '--json',
      ])
      expect(r.status, r.stdout).toBe(0)
      expect(r.json().policy).toMatchObject({ gracePeriodDays: 3, requireTwoFactorForNewUsers: false })
      expect(await stored()).toMatchObject({ gracePeriodDays: 3, requireTwoFactorForNewUsers: false })
      const admin = as(ADMIN, ['users', 'show', '--email', ADMIN, '--json']).json() as {
        user: { id: number }
      }
      expect(policyEvents().at(-1)).toMatchObject({
        actorId: admin.user.id,
        data: {
          via: 'cli',
          changed: {
            gracePeriodDays: { from: 0, to: 3 },
            requireTwoFactorForNewUsers: { from: true, to: false },
          },
        },
      })
      // Put back as it was, so the tests below start from the defaults.
      const back = asOwner([
        'policy',
        'set',
        '--grace-period-days',
        '0',
        '--require-two-factor-for-new-users',
        'true',
      ])
      expect(back.status, back.stderr).toBe(0)
    })

    it('lets an admin choose the language of the messages of people who have chosen none', async () => {
      expect(shown().defaultLanguage).toBe('en')
      const r = as(ADMIN, ['policy', 'set', '--default-language', 'es'])
      expect(r.status, r.stderr).toBe(0)
      expect(r.stdout).toContain('Changed default-language: en → es.')
      // Not a setting that protects everyone: the owners are not told.
      expect(r.stdout).not.toContain('Every owner is told')
      expect(await stored()).toMatchObject({ defaultLanguage: 'es' })
      expect(policyEvents().at(-1)).toMatchObject({
        data: { via: 'cli', changed: { defaultLanguage: { from: 'en', to: 'es' } } },
      })
      const show = asOwner(['policy', 'show'])
      expect(show.stdout).toMatch(/default-language\s+es\s+owners, admins/)
      expect(asOwner(['policy', 'set', '--default-language', 'en']).status).toBe(0)
    })
  })

  describe('invalid input', () => {
    it.each([
      [['--grace-period-days', '91'], '--grace-period-days must be a whole number from 0 to 90.'],
      [['--grace-period-days', 'seven'], '--grace-period-days must be a whole number from 0 to 90.'],
      [['--grace-period-days', '1.5'], '--grace-period-days must be a whole number from 0 to 90.'],
      [['--grace-period-days=-1'], '--grace-period-days must be a whole number from 0 to 90.'],
      [['--idle-lock-minutes', '0'], '--idle-lock-minutes must be a whole number from 1 to 60.'],
      [['--session-lifetime-hours', '13'], '--session-lifetime-hours must be a whole number from 1 to 12.'],
      [['--notices-by', 'pigeon'], '--notices-by must be one of: email, sms, both.'],
      [['--default-language', 'fr'], '--default-language must be one of: en, es.'],
      [
        ['--require-two-factor-for-new-users', 'yes'],
        '--require-two-factor-for-new-users must be one of: true, false.',
      ],
      [['--grace-period', '7'], 'Unknown option --grace-period for "tessera policy set".'],
      [['--cooling-off', '7'], 'Unknown option --cooling-off for "tessera policy set".'],
      [['--grace-period-days'], '--grace-period-days needs a value (DAYS).'],
      [
        ['--grace-period-days', '1', '--grace-period-days', '2'],
        '--grace-period-days is given more than once.',
      ],
      [[], 'Give at least one setting to change'],
    ])('refuses %j with exit 2 and a clear message, and writes nothing', async (args, message) => {
      const storedBefore = await stored().catch(() => null)
      const eventsBefore = auditEvents(db, env).length
      // The flags under test go last, so that one given without a value has none.
      const r = run(['policy', 'set', ...AS_OWNER, '--json', ...args], ownerStdin())
      expect(r.status, r.stdout).toBe(2)
      const error = r.json().error as { code: string; message: string }
      expect(error.code).toBe('USAGE')
      expect(error.message).toContain(message)
      const text = run(['policy', 'set', ...AS_OWNER, ...args], ownerStdin())
      expect(text.status).toBe(2)
      expect(text.stderr).toContain(message)
      expect(await stored().catch(() => null)).toEqual(storedBefore)
      // Refused before anyone signed in: not even a login was recorded.
      expect(auditEvents(db, env)).toHaveLength(eventsBefore)
    })
  })

  describe('show and set', () => {
    it('shows every setting, as text and as JSON, to whoever the console shows it to', () => {
      const json = asOwner(['policy', 'show', '--json'])
      expect(json.status, json.stderr).toBe(0)
      expect(json.json()).toEqual(DEFAULT_POLICY)
      const text = asOwner(['policy', 'show'])
      expect(text.status).toBe(0)
      for (const [field, value] of Object.entries(DEFAULT_POLICY)) {
        expect(text.stdout).toMatch(new RegExp(`^${kebab(field)}\\s+${String(value)}\\b`, 'm'))
      }
      // Every signed-in person may read it, as in the console.
      expect(as(MEMBER, ['policy', 'show', '--json']).json()).toEqual(DEFAULT_POLICY)
      const holder = run(['policy', 'show', ...KEY_HOLDER, '--json'], keyHolderStdin())
      expect(holder.status).toBe(0)
      expect(holder.json()).toEqual(DEFAULT_POLICY)
    })

    it('changes only the settings given, saves them, audits them and tells every owner', async () => {
      const r = asOwner([
        'policy',
        'set',
        '--grace-period-days',
        '7',
        '--recovery-cooling-off-minutes',
        '30',
        '--json',
      ])
      expect(r.status, r.stdout).toBe(0)
      const expected: Policy = { ...DEFAULT_POLICY, gracePeriodDays: 7, recoveryCoolingOffMinutes: 30 }
      expect(r.json()).toEqual({
        policy: expected,
        changed: ['gracePeriodDays', 'recoveryCoolingOffMinutes'],
      })

      // A fresh process reads it back; so does the database itself.
      expect(shown()).toEqual(expected)
      expect(await stored()).toEqual(expected)
      const text = asOwner(['policy', 'show'])
      expect(text.stdout).toMatch(/^grace-period-days\s+7\b/m)
      expect(text.stdout).toMatch(/^recovery-cooling-off-minutes\s+30\b/m)

      // Audited as the console's change is: who, from where, old and new values of what changed only.
      expect(policyEvents().at(-1)).toMatchObject({
        actorId: 1,
        data: {
          via: 'cli',
          changed: {
            gracePeriodDays: { from: 0, to: 7 },
            recoveryCoolingOffMinutes: { from: 60, to: 30 },
          },
        },
      })
      expect(Object.keys(policyEvents().at(-1)!.data.changed as object)).toHaveLength(2)

      // The cooling-off period protects everyone: every owner is told (by email, the policy's default).
      const outbox = asOwner(['email', 'outbox', '--json'])
      expect(outbox.status, outbox.stderr).toBe(0)
      const notices = (outbox.json().messages as { to: string; kind: string; text: string }[]).filter(
        (m) => m.kind === 'protective_setting_changed',
      )
      expect(notices).toHaveLength(1)
      expect(notices[0]).toMatchObject({ to: OWNER_EMAIL })
      expect(notices[0]!.text).toContain('recovery cooling-off 60 → 30')

      // A second change keeps the first.
      const second = asOwner(['policy', 'set', '--notices-by', 'email'])
      expect(second.status, second.stderr).toBe(0)
      expect(second.stdout).toContain('Changed notices-by: both → email.')
      expect(shown()).toEqual({ ...expected, noticesBy: 'email' })

      // The same values again change nothing and record nothing.
      const eventsBefore = policyEvents().length
      const same = asOwner(['policy', 'set', '--grace-period-days', '7', '--json'])
      expect(same.status).toBe(0)
      expect(same.json()).toMatchObject({ changed: [] })
      expect(policyEvents()).toHaveLength(eventsBefore)
    })

    it('lets the key holder change it in an emergency, recorded as the key holder', () => {
      const r = run(['policy', 'set', '--lock-minutes', '20', ...KEY_HOLDER, '--json'], keyHolderStdin())
      expect(r.status, r.stdout).toBe(0)
      expect(shown().lockMinutes).toBe(20)
      expect(policyEvents().at(-1)).toMatchObject({
        actorId: null,
        data: { via: 'cli', actor: 'key-holder', changed: { lockMinutes: { to: 20 } } },
      })
    })

    it('names every policy field as a flag in the help', () => {
      const help = run(['policy', 'set', '--help'])
      expect(help.status).toBe(0)
      for (const field of Object.keys(policySchema.shape)) expect(help.stdout).toContain(`--${kebab(field)}`)
    })
  })
})
