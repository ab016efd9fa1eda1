import { invitationHash } from '../../src/main/core/invitations'
import type { Services } from '../../src/main/core/services'
import type { FakeTwilioMessage } from '../fixtures/fake-twilio'
import { sqlAll, sqlGet } from '../fixtures/sql'

/** Everyone in the crash suite has this password (it is not a secret worth hiding in a test). */
export const CRASH_PASSWORD = 'crash-suite-granite-otter-93'

/** What the test set up before the first kill, for the driver to sign in with. */
export interface CrashSetup {
  passphrase: string
  commonPasswords: string
  databaseUrl?: string
  owner: { email: string; secret: string }
  agents: { email: string; secret: string }[]
}

/** One line of the journal: an operation the driver saw come back, written before the next began. */
export type JournalEntry =
  | { op: 'invited'; email: string; userId: number }
  | { op: 'enrolled'; email: string; secret: string; codes: string[] }
  | { op: 'spent' | 'refused-spent'; email: string; code: string }
  | { op: 'login'; email: string }
  | { op: 'sms-queued'; to: string }
  | { op: 'sms-worked' }
  | { op: 'recovery-filed'; email: string; requestId: number }
  | { op: 'recovery-approved' | 'recovery-issued'; requestId: number }
  | { op: 'import-codes'; codes: Record<string, string> }
  | { op: 'error'; message: string }

/** A small seeded generator (mulberry32): the same seed gives the same kill schedule and workload. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const count = (condition: string) => `coalesce(sum(CASE WHEN ${condition} THEN 1 ELSE 0 END), 0)`

/**
 * Every rule a kill must not break, checked on the database as the next start would find it. Returns
 * the broken ones, each as a sentence (empty when all hold).
 */
export async function brokenInvariants(
  s: Services,
  journal: readonly JournalEntry[],
  twilio: readonly FakeTwilioMessage[],
): Promise<string[]> {
  const broken: string[] = []
  const db = s.db
  const file = await s.checkFile()
  if (file.integrity.join() !== 'ok') broken.push(`integrity check: ${file.integrity.join('; ')}`)
  if (file.foreignKeys.length > 0) broken.push(`foreign keys: ${JSON.stringify(file.foreignKeys)}`)
  const chain = await s.audit.verify()
  if (!chain.ok) broken.push(`audit chain: ${chain.reason}`)

  // No half-created person: an invited one has an invitation, an active one a password; 2FA on means
  // five backup codes, and codes mean 2FA on.
  const half = await sqlAll<{ email: string; why: string }>(
    db,
    `SELECT email, 'invited without an invitation' AS why FROM users u
       WHERE status = 'invited' AND NOT EXISTS (SELECT 1 FROM invitations i WHERE i.user_id = u.id)
     UNION ALL SELECT email, 'active without a password' FROM users WHERE status = 'active' AND password_hash IS NULL
     UNION ALL SELECT email, 'enrolled without five backup codes' FROM users u
       WHERE EXISTS (SELECT 1 FROM totp_credentials t WHERE t.user_id = u.id)
         AND (SELECT count(*) FROM backup_codes b WHERE b.user_id = u.id) <> 5
     UNION ALL SELECT email, 'backup codes without 2FA' FROM users u
       WHERE NOT EXISTS (SELECT 1 FROM totp_credentials t WHERE t.user_id = u.id)
         AND EXISTS (SELECT 1 FROM backup_codes b WHERE b.user_id = u.id)
     UNION ALL SELECT email, 'backup_codes_left disagrees with its codes' FROM users u
       WHERE EXISTS (SELECT 1 FROM totp_credentials t WHERE t.user_id = u.id)
         AND backup_codes_left <> (SELECT count(*) FROM backup_codes b WHERE b.user_id = u.id AND b.used_at IS NULL)`,
  )
  for (const h of half) broken.push(`${h.email}: ${h.why}`)

  // The dashboard's counters, kept by triggers, match the rows they count.
  const stats = await sqlGet<Record<string, number>>(db, 'SELECT * FROM user_stats')
  const actual = await sqlGet<Record<string, number>>(
    db,
    `SELECT count(*) AS users, ${count("twofa_state = 'enrolled'")} AS enrolled,
       ${count("twofa_state = 'required'")} AS required,
       ${count("twofa_state = 'enrolled' AND require_2fa = 1")} AS required_enrolled,
       ${count('at_risk = 1')} AS at_risk, ${count("status = 'invited'")} AS invited FROM users`,
  )
  for (const k of ['users', 'enrolled', 'required', 'required_enrolled', 'at_risk', 'invited']) {
    if (Number(stats?.[k]) !== Number(actual?.[k]))
      broken.push(`user_stats.${k} is ${stats?.[k]}, the users table says ${actual?.[k]}`)
  }

  // A backup code is spent exactly when the trail says so: no code both spent and unspent.
  const uses = await sqlAll<{ email: string; used: number; events: number }>(
    db,
    `SELECT u.email,
       (SELECT count(*) FROM backup_codes b WHERE b.user_id = u.id AND b.used_at IS NOT NULL) AS used,
       (SELECT count(*) FROM audit_events a WHERE a.subject_id = u.id AND a.type = '2fa.backup_code_used') AS events
     FROM users u`,
  )
  const usedBy = new Map(uses.map((u) => [u.email, Number(u.used)]))
  for (const u of uses) {
    if (Number(u.used) !== Number(u.events))
      broken.push(`${u.email}: ${u.used} backup codes marked used, ${u.events} uses in the audit trail`)
  }
  const acknowledged = new Map<string, number>()
  for (const e of journal) {
    if (e.op === 'spent' || e.op === 'refused-spent')
      acknowledged.set(e.email, (acknowledged.get(e.email) ?? 0) + 1)
  }
  for (const [email, n] of acknowledged) {
    if ((usedBy.get(email) ?? 0) < n)
      broken.push(`${email}: ${n} codes spent as far as people know, ${usedBy.get(email)} in the database`)
  }

  // What came back to someone is in the database.
  const emails = new Set((await sqlAll<{ email: string }>(db, 'SELECT email FROM users')).map((r) => r.email))
  const enrolled = new Set(
    (
      await sqlAll<{ email: string }>(
        db,
        'SELECT email FROM users u WHERE EXISTS (SELECT 1 FROM totp_credentials t WHERE t.user_id = u.id)',
      )
    ).map((r) => r.email),
  )
  for (const e of journal) {
    if (e.op === 'invited' && !emails.has(e.email))
      broken.push(`${e.email} was invited but is not in the database`)
    if (e.op === 'enrolled' && !enrolled.has(e.email))
      broken.push(`${e.email} enrolled but has no authenticator`)
  }
  const requests = new Map(
    (
      await sqlAll<{ id: number; status: string; approvals: number; codes: number }>(
        db,
        `SELECT r.id, r.status,
           (SELECT count(*) FROM recovery_approvals a WHERE a.request_id = r.id) AS approvals,
           (SELECT count(*) FROM access_codes c WHERE c.request_id = r.id) AS codes
         FROM recovery_requests r`,
      )
    ).map((r) => [Number(r.id), r]),
  )
  for (const e of journal) {
    const r = 'requestId' in e ? requests.get(e.requestId) : undefined
    if (e.op === 'recovery-filed' && !r)
      broken.push(`request ${e.requestId} was filed but is not in the database`)
    if (e.op === 'recovery-approved' && !(r && Number(r.approvals) >= 1 && r.status !== 'open'))
      broken.push(`request ${e.requestId} was approved but the database says ${JSON.stringify(r)}`)
    if (e.op === 'recovery-issued' && !(r && Number(r.codes) >= 1))
      broken.push(`request ${e.requestId} had a code issued but none is in the database`)
  }
  for (const r of requests.values()) {
    if (['approved', 'completed'].includes(r.status) && Number(r.approvals) < 1)
      broken.push(`request ${r.id} is ${r.status} without an approval`)
  }

  // No invitation without a readable code: an imported person still invited has a code held (sealed) in
  // the database, or one that was delivered (journaled) and opens their invitation.
  const delivered = new Map<string, string>()
  for (const e of journal)
    if (e.op === 'import-codes') for (const [k, v] of Object.entries(e.codes)) delivered.set(k, v)
  const invitedByImport = await sqlAll<{ email: string; code_hash: string; held: number }>(
    db,
    `SELECT u.email, i.code_hash, (SELECT count(*) FROM import_codes c WHERE c.user_id = u.id) AS held
     FROM users u JOIN invitations i ON i.user_id = u.id
     WHERE u.status = 'invited' AND u.email LIKE 'imp-%'`,
  )
  for (const u of invitedByImport) {
    const code = delivered.get(u.email)
    if (Number(u.held) === 0 && !(code && invitationHash(code) === u.code_hash))
      broken.push(`${u.email} is invited but no one holds a code that opens the invitation`)
  }

  // No SMS sent twice: every test message goes to a number of its own.
  const byNumber = new Map<string, number>()
  for (const m of twilio) byNumber.set(m.to, (byNumber.get(m.to) ?? 0) + 1)
  for (const [to, n] of byNumber) if (n > 1) broken.push(`${to} received the same SMS ${n} times`)
  const sids = new Set(
    (
      await sqlAll<{ sid: string }>(
        db,
        'SELECT provider_sid AS sid FROM sms_outbox WHERE provider_sid IS NOT NULL',
      )
    ).map((r) => r.sid),
  )
  const twilioSids = new Set(twilio.map((m) => m.sid))
  for (const sid of sids)
    if (!twilioSids.has(sid)) broken.push(`outbox row has SID ${sid} that Twilio never issued`)
  return broken
}
