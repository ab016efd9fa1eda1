import { sql } from 'kysely'
import type { Schema } from './schema'
import { SECRET_SETTINGS, sealedAt } from './sealed'
import type { Store } from './store'

/**
 * Copies a desktop database into a new, empty team database: every table, in an order the foreign keys
 * accept, with each secret and personal number opened from the file and sealed under the team key. Runs
 * inside the transaction that created the team database, so a failure leaves nothing behind there.
 *
 * What the databases keep for themselves is not copied but rebuilt by the target's own triggers as the
 * rows arrive: each user's 2FA summary (enrolled at, backup codes left, a verified phone), the
 * dashboard's counters and the weekly backup-code counts. The audit trail is copied event by event, with
 * its hashes, so it verifies on the other side.
 */
export interface CopyReport {
  tables: Record<string, number>
}

type Row = Record<string, unknown>
const BATCH = 500

/** Tables in foreign-key order, with what each needs on its way. */
const ORDER = [
  'users',
  'settings',
  'invitations',
  'import_runs',
  'import_codes',
  'totp_credentials',
  'totp_pending',
  'backup_codes',
  'login_throttle',
  'email_throttle',
  'audit_events',
  'sms_codes',
  'sms_outbox',
  'email_outbox',
  'password_resets',
  'phones',
  'phone_pending',
  'recovery_requests',
  'recovery_checks',
  'recovery_notes',
  'recovery_approvals',
  'access_codes',
] as const satisfies readonly (keyof Schema)[]

/** Columns the target's triggers keep, or generates: left out of the copy. */
const DERIVED: Partial<Record<(typeof ORDER)[number], string[]>> = {
  users: ['totp_enrolled_at', 'backup_codes_left', 'phone_verified', 'twofa_state', 'at_risk'],
}

/** How each table's sealed columns are sealed for the target (values come from the file as they are). */
function sealRow(table: (typeof ORDER)[number], row: Row, to: Store): Row {
  const s = to.seal
  const n = (v: unknown) => Number(v)
  switch (table) {
    case 'totp_credentials':
      return { ...row, secret: s.bytes(row.secret as Buffer, sealedAt.totp(n(row.user_id))) }
    case 'import_codes':
      return { ...row, code: s.text(String(row.code), sealedAt.importCode(n(row.user_id))) }
    case 'totp_pending':
      return { ...row, secret: s.bytes(row.secret as Buffer, sealedAt.totpPending(n(row.user_id))) }
    case 'phones':
      return { ...row, e164: s.text(String(row.e164), sealedAt.phone(n(row.user_id))) }
    case 'phone_pending':
      return { ...row, e164: s.text(String(row.e164), sealedAt.phonePending(n(row.user_id))) }
    case 'sms_codes':
      return { ...row, code_hash: s.text(String(row.code_hash), sealedAt.smsCode(n(row.user_id))) }
    case 'sms_outbox': {
      const userId = row.user_id === null ? null : n(row.user_id)
      const to = String(row.to_e164)
      return {
        ...row,
        to_e164: s.text(to, sealedAt.smsTo(userId)),
        to_key: s.lookupKey(to),
        // A message that left keeps only its display text (no code), as it is.
        body: row.body === row.display_text ? row.body : s.text(String(row.body), sealedAt.smsBody(userId)),
      }
    }
    case 'email_outbox': {
      const userId = row.user_id === null ? null : n(row.user_id)
      const left = row.body_text === row.display_text
      return {
        ...row,
        to_address: s.text(String(row.to_address), sealedAt.emailTo(userId)),
        // A message that left keeps only its display text (no code), as it is.
        body_text: left ? row.body_text : s.text(String(row.body_text), sealedAt.emailBody(userId, 'text')),
        body_html:
          row.body_html === null ? null : s.text(String(row.body_html), sealedAt.emailBody(userId, 'html')),
      }
    }
    case 'recovery_requests':
      return {
        ...row,
        message: s.text(String(row.message), sealedAt.recovery(n(row.user_id), 'message')),
        contact: s.text(String(row.contact), sealedAt.recovery(n(row.user_id), 'contact')),
      }
    case 'recovery_notes':
      return { ...row, body: s.text(String(row.body), sealedAt.recoveryNote(n(row.request_id))) }
    case 'settings':
      return (SECRET_SETTINGS as readonly string[]).includes(String(row.key))
        ? { ...row, value: s.text(String(row.value), sealedAt.setting(String(row.key))) }
        : row
    default:
      return row
  }
}

/** The file's tables stored without a rowid, read in the order of their primary key instead. */
const KEYS: Partial<Record<(typeof ORDER)[number], string[]>> = {
  settings: ['key'],
  backup_codes: ['user_id', 'slot'],
  login_throttle: ['user_id', 'factor'],
  email_throttle: ['email'],
}

/** Reads a table from the file a batch at a time, keyset-paged: in rowid order (the order it was written). */
async function* rowsOf(from: Store, table: (typeof ORDER)[number]): AsyncGenerator<Row[]> {
  const key = KEYS[table] ?? ['rowid']
  const cols = sql.join(key.map((k) => sql.ref(k)))
  let after: unknown[] | undefined
  for (;;) {
    const where = after ? sql`WHERE (${cols}) > (${sql.join(after)})` : sql``
    const { rows } = await sql<Row>`
      SELECT ${key[0] === 'rowid' ? sql`rowid AS _rowid, ` : sql``}* FROM ${sql.table(table)} ${where}
      ORDER BY ${cols} LIMIT ${BATCH}`.execute(from.q)
    if (rows.length === 0) return
    const last = rows[rows.length - 1]!
    after = key.map((k) => (k === 'rowid' ? last._rowid : last[k]))
    yield rows.map(({ _rowid: _, ...row }) => row)
  }
}

export async function copyDatabase(
  from: Store,
  to: Store,
  extra: { settings?: Record<string, string> } = {},
): Promise<CopyReport> {
  if (from.engine.name !== 'sqlite' || to.engine.name !== 'postgres') {
    throw new Error('A copy goes from a database file to a team database.')
  }
  const tables: Record<string, number> = {}
  for (const table of ORDER) {
    let count = 0
    const derived = new Set(DERIVED[table] ?? [])
    for await (const batch of rowsOf(from, table)) {
      const rows = batch.map((r) => {
        const kept = Object.fromEntries(Object.entries(r).filter(([k]) => !derived.has(k)))
        // recovery_checks keeps its order through the target's own identity column.
        if (table === 'recovery_checks') delete kept.rowid
        return sealRow(table, kept, to)
      })
      await to.q
        .insertInto(table)
        .values(rows as never)
        .execute()
      count += rows.length
    }
    tables[table] = count
  }
  for (const [key, value] of Object.entries(extra.settings ?? {})) {
    await to.q
      .insertInto('settings')
      .values(sealRow('settings', { key, value }, to) as never)
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: (eb) => eb.ref('excluded.value') }))
      .execute()
  }
  // Identity columns continue after the copied ids.
  for (const table of [
    'users',
    'sms_outbox',
    'email_outbox',
    'password_resets',
    'sms_codes',
    'recovery_requests',
    'recovery_notes',
    'access_codes',
  ]) {
    await sql`SELECT setval(pg_get_serial_sequence(${table}, 'id'), coalesce((SELECT max(id) FROM ${sql.table(table)}), 0) + 1, false)`.execute(
      to.q,
    )
  }
  return { tables }
}
