import type { Language } from '../../../shared/contract/preferences'
import type { Policy, Role } from '../../../shared/schemas'

export type { Language }

/** Who did something, as a message names them: the key holder, or a person (with their role, if said). */
export type Who = 'key-holder' | { name: string | null; role?: Role }

/** A change to a setting that protects everyone, as the owners are told of it. */
export type SettingChange =
  | {
      setting: 'policy'
      changes: { field: keyof Policy; from: Policy[keyof Policy]; to: Policy[keyof Policy] }[]
    }
  /** `at`: the provider's address (an API URL, host:port), when it has one. */
  | { setting: 'sms' | 'email'; provider: string; at?: string }

/** The security notices: what happened to the account, and what to do if it was not the person. */
export type Notice =
  | { kind: '2fa_enabled' }
  | { kind: '2fa_disabled'; by: Who | null }
  | { kind: 'backup_codes_regenerated' }
  | { kind: 'backup_code_used'; slot: number; left: number }
  | { kind: 'phone_added'; phone: string }
  | { kind: 'phone_changed'; phone: string; old: string }
  | { kind: 'recovery_filed'; byAdmin: boolean; purpose: '2fa' | 'password' | 'both' }
  | { kind: 'recovery_approved'; effectiveAt: number | null }
  | { kind: 'recovery_code_issued'; via: 'sms' | 'agent' | 'email'; code: 'access' | 'password_reset' }
  | { kind: 'recovery_completed' }
  | { kind: 'account_locked'; until: number | null }
  | { kind: 'password_changed'; how: 'changed' | 'reset' }
  | { kind: 'protective_setting_changed'; what: SettingChange; by: Who }
  | { kind: 'audit_anchor'; seq: number; hash: string; at: number; by: Who; file: string }

/** An email's words before it is laid out: subject, paragraphs, the code (if any) and what to do next. */
export interface EmailParts {
  subject: string
  /** Paragraphs before the code (or the whole message when there is none). */
  lead: string[]
  code?: { label: string; value: string }
  /** Paragraphs after the code: what to do next. */
  then?: string[]
}

/** A notice's subject and paragraphs, and its SMS twin (short, no link, no code; null: none). */
export interface NoticeText {
  subject: string
  lead: string[]
  sms: string | null
}

export interface InvitationFacts {
  account: string
  email: string
  code: string
  expiresAt: number
  /** The inviter's name; null: an administrator the message does not name (the key holder). */
  invitedBy: string | null
}

export interface PasswordResetFacts {
  code: string
  expiresAt: number
  /** Who started the reset for the person; null: the person asked for it. */
  byAdmin: Who | null
  /** The account signs in with a second factor: say that it stays. */
  secondFactor: boolean
}

/** What an OS notification on a support agent's console tells of (names only on an unlocked console). */
export type AgentAlertFacts =
  | { kind: 'lockout'; who: string; until: number | null }
  | { kind: 'request'; who: string; requestId: number | null; byAdmin: boolean }

/**
 * Every word Tessera sends by email or SMS, in one language. Each language implements all of it: a
 * message missing from one fails the typecheck.
 */
export interface Catalog {
  /** A moment as people read it in this language, the zone named (messages are read anywhere). */
  when(ms: number): string
  /** The greeting; null: the test message, which has nobody to name. */
  greeting(name: string | null): string
  footer(account: string): string
  subject(subject: string, account: string): string
  testEmail: { subject: string; lead: string[] }
  testSms: string
  invitation(p: InvitationFacts): EmailParts
  passwordReset(p: PasswordResetFacts): EmailParts
  notice(n: Notice): NoticeText
  /** The SMS that verifies a new emergency phone (`code`: the code, or dots for the copy kept). */
  phoneVerifySms(code: string): string
  /** The SMS login code for a lost device. */
  loginCodeSms(code: string): string
  /** The temporary access code; `newPassword`: the request resets the password too. */
  accessCodeSms(code: string, newPassword: boolean): string
  /** An OS notification on a support agent's console. */
  agentAlert(a: AgentAlertFacts): { title: string; body: string }
  /** Several alerts at once, or any on a locked console: counts only, nobody named. */
  agentAlertSummary(requests: number, lockouts: number): { title: string; body: string }
}

/**
 * Day, time and zone as a message in `locale` writes them: always UTC, the zone named. The formatter is
 * made on first use: building one loads ICU's date data (~25 ms), which a CLI command that sends no
 * message should not pay at start-up.
 */
export const whenFormat = (locale: string): ((ms: number) => string) => {
  let format: Intl.DateTimeFormat | undefined
  return (ms) => (format ??= whenFormatOf(locale)).format(ms)
}

const whenFormatOf = (locale: string): Intl.DateTimeFormat =>
  new Intl.DateTimeFormat(locale, {
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZone: 'UTC',
    timeZoneName: 'short',
  })
