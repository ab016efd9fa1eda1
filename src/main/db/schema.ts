import type { ColumnType, Generated, GeneratedAlways } from 'kysely'

/**
 * The tables as the queries see them, the same on every engine. Times are milliseconds since the epoch
 * and flags are 0/1 integers on both engines, so a row reads the same wherever it comes from.
 * Columns kept up to date by the database itself (counters, generated state) are read-only here.
 */
export interface Schema {
  users: UsersTable
  invitations: InvitationsTable
  import_runs: ImportRunsTable
  import_codes: ImportCodesTable
  totp_credentials: TotpCredentialsTable
  totp_pending: TotpPendingTable
  backup_codes: BackupCodesTable
  backup_code_use_weekly: BackupCodeUseWeeklyTable
  login_throttle: LoginThrottleTable
  email_throttle: EmailThrottleTable
  settings: SettingsTable
  audit_events: AuditEventsTable
  sms_outbox: SmsOutboxTable
  email_outbox: EmailOutboxTable
  password_resets: PasswordResetsTable
  sms_codes: SmsCodesTable
  phones: PhonesTable
  phone_pending: PhonePendingTable
  recovery_requests: RecoveryRequestsTable
  recovery_checks: RecoveryChecksTable
  recovery_notes: RecoveryNotesTable
  recovery_approvals: RecoveryApprovalsTable
  access_codes: AccessCodesTable
  user_stats: UserStatsTable
}

/** Kept by the database (triggers on SQLite, triggers on PostgreSQL): never written by a query. */
type Maintained<T> = ColumnType<T, never, never>

export interface UsersTable {
  id: Generated<number>
  email: string
  name: string
  role: 'owner' | 'admin' | 'support' | 'member'
  status: Generated<'invited' | 'active' | 'disabled'>
  password_hash: string | null
  created_at: number
  updated_at: number
  last_login_at: number | null
  require_2fa: Generated<0 | 1>
  require_2fa_since: number | null
  totp_enrolled_at: Maintained<number | null>
  backup_codes_left: Maintained<number>
  phone_verified: Maintained<0 | 1>
  twofa_state: GeneratedAlways<'enrolled' | 'required' | 'off'>
  at_risk: GeneratedAlways<0 | 1>
  created_by: number | null
  invited_at: number | null
  activated_at: number | null
  must_enroll: Generated<0 | 1>
  former_role: 'admin' | 'owner' | null
  demoted_at: number | null
  /** Sessions signed in before this moment end (a password changed or reset). */
  password_changed_at: Generated<number | null>
  /** The person's language for the console and their messages; null: the OS's (console) or the account's. */
  language: Generated<'en' | 'es' | null>
  theme: Generated<'system' | 'light' | 'dark'>
}

export interface InvitationsTable {
  user_id: number
  code_hash: string
  created_at: number
  expires_at: number
  created_by: number | null
}

export interface ImportRunsTable {
  id: string
  actor_id: number | null
  file_sha256: string
  total: number
  imported: Generated<number>
  already: Generated<number>
  started_at: number
  updated_at: number
  finished_at: number | null
  /** An import, or a bulk re-send of invitations (whose file_sha256 is empty). */
  kind: Generated<'import' | 'resend'>
}

/** An imported user's invitation code until it is delivered (sealed on a team database). */
export interface ImportCodesTable {
  user_id: number
  run_id: string
  code: string
}

export interface TotpCredentialsTable {
  user_id: number
  secret: Buffer
  algorithm: Generated<'sha1' | 'sha256' | 'sha512'>
  digits: Generated<number>
  period: Generated<number>
  enrolled_at: number
  last_step: number | null
}

export interface TotpPendingTable {
  user_id: number
  secret: Buffer
  started_at: number
  expires_at: number
}

export interface BackupCodesTable {
  user_id: number
  slot: number
  code_hash: string
  created_at: number
  used_at: number | null
  used_machine: string | null
}

export interface BackupCodeUseWeeklyTable {
  week_start: number
  uses: number
}

export interface LoginThrottleTable {
  user_id: number
  factor: 'password' | 'second_factor'
  consecutive_failures: Generated<number>
  last_failure_at: number | null
  locked_until: number | null
  permanent: Generated<0 | 1>
  lock_failure: number | null
}

export interface EmailThrottleTable {
  email: string
  consecutive_failures: Generated<number>
  last_failure_at: number | null
  locked_until: number | null
  permanent: Generated<0 | 1>
  lock_failure: number | null
}

export interface SettingsTable {
  key: string
  value: string
}

export interface AuditEventsTable {
  seq: number
  at: number
  type: string
  actor_id: number | null
  subject_id: number | null
  data: string
  prev_hash: string
  hash: string
}

export type SmsStatus = 'queued' | 'sending' | 'sent' | 'delivered' | 'failed'

export interface SmsOutboxTable {
  id: Generated<number>
  to_e164: string
  /** The number's lookup value (the number itself in the file, a keyed hash on a team database). */
  to_key: string
  body: string
  display_text: string
  kind: string
  user_id: number | null
  status: Generated<SmsStatus>
  attempts: Generated<number>
  next_attempt_at: number | null
  last_error: string | null
  provider: 'outbox' | 'twilio' | null
  provider_sid: string | null
  provider_status: string | null
  created_at: number
  updated_at: number
  sent_at: number | null
}

export type EmailStatus = 'queued' | 'sending' | 'sent' | 'failed'

export interface EmailOutboxTable {
  id: Generated<number>
  to_address: string
  subject: string
  body_text: string
  body_html: string | null
  display_text: string
  kind: string
  user_id: number | null
  status: Generated<EmailStatus>
  attempts: Generated<number>
  next_attempt_at: number | null
  last_error: string | null
  provider: 'outbox' | 'smtp' | null
  provider_id: string | null
  created_at: number
  updated_at: number
  sent_at: number | null
}

export type RecoveryPurpose = '2fa' | 'password' | 'both'

export interface PasswordResetsTable {
  id: Generated<number>
  user_id: number
  code_hash: string
  via: 'email' | 'shown'
  issued_by: number | null
  created_at: number
  expires_at: number
  used_at: number | null
  revoked_at: number | null
}

export interface SmsCodesTable {
  id: Generated<number>
  user_id: number
  purpose: 'login' | 'phone_verify'
  code_hash: string
  created_at: number
  expires_at: number
  tries: Generated<number>
  used_at: number | null
}

export interface PhonesTable {
  user_id: number
  e164: string
  verified_at: number
  created_at: number
  updated_at: number
}

export interface PhonePendingTable {
  user_id: number
  e164: string
  code_id: number
  expires_at: number
  created_at: number
}

export type RecoveryStatus = 'open' | 'verifying' | 'approved' | 'denied' | 'completed' | 'expired'

export interface RecoveryRequestsTable {
  id: Generated<number>
  user_id: number
  status: Generated<RecoveryStatus>
  message: string
  contact: string
  created_at: number
  updated_at: number
  expires_at: number
  approved_at: number | null
  effective_at: number | null
  decided_by: number | null
  denied_reason: string | null
  completed_at: number | null
  kind: Generated<'lost_device' | 'admin_reset'>
  /** What the request ends with: a new authenticator, a new password, or both. */
  purpose: Generated<RecoveryPurpose>
  filed_by: number | null
}

export interface RecoveryChecksTable {
  request_id: number
  check_key: string
  agent_id: number | null
  created_at: number
}

export interface RecoveryNotesTable {
  id: Generated<number>
  request_id: number
  agent_id: number | null
  body: string
  created_at: number
}

export interface RecoveryApprovalsTable {
  request_id: number
  agent_id: number
  created_at: number
}

export interface AccessCodesTable {
  id: Generated<number>
  request_id: number
  user_id: number
  code_hash: string
  delivery: 'sms' | 'agent'
  issued_by: number | null
  created_at: number
  expires_at: number
  used_at: number | null
  revoked_at: number | null
}

export interface UserStatsTable {
  id: number
  users: number
  enrolled: number
  required: number
  required_enrolled: number
  at_risk: number
  invited: number
}
