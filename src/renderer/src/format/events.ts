import { roleLabel } from '../../../shared/access'
import type { AuditEventDto } from '../../../shared/dto'
import type { Role } from '../../../shared/schemas'
import { formatDateTime } from './time'

/**
 * Every audit event as a sentence with people's names ("Mia Lind signed in with backup code 1 of 5 on
 * OFFICE-PC-3"): the one place the console turns an event into words, used by every event list. The
 * main process supplies the names (`people`); the raw event stays available behind "Details".
 */

type Data = Record<string, unknown>

interface Parts {
  /** Who did it: a name, "The key holder", or "Tessera" when nobody did (a timer, the outbox). */
  actor: string
  /** Whom it is about: a name, or "someone" when the event names nobody. */
  subject: string
  /** The actor acted on themselves. */
  self: boolean
  d: Data
  /** " on OFFICE-PC-3" (or " from the command line on …"), or "". */
  on: string
  person: (id: unknown) => string
  time: (value: unknown) => string
  locale: string | undefined
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined)
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined)
const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`
const list = (items: readonly string[]): string =>
  items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`

/** Why something was refused, as people say it; unknown reasons read as their words. */
const reasons: Record<string, string> = {
  wrong_password: 'wrong password',
  wrong_code: 'wrong code',
  unknown_user: 'no account uses this email',
  unknown_email: 'no account uses this email',
  no_open_invitation: 'no open invitation',
  expired: 'the code had expired',
  used: 'the code was already used',
  spent: 'the code was already used',
  replayed: 'that code was already used',
  throttled: 'too many attempts, slowed down',
  locked: 'the account is locked',
  too_many_tries: 'too many tries',
  disabled: 'the account is disabled',
  password_changed: 'the password changed',
  idle: 'idle',
  manual: 'locked on demand',
  no_email_provider: 'no email provider is set up, so nothing was sent',
  account_invited: 'the account is not activated yet',
  account_disabled: 'the account is disabled',
}
const reason = (v: unknown): string => {
  const r = str(v)
  return r ? (reasons[r] ?? r.replace(/[_.]/g, ' ')) : 'no reason given'
}

/** What kind of message an SMS or email was. */
const messageKinds: Record<string, string> = {
  invitation: 'invitation',
  notice: 'security notice',
  password_reset: 'password reset code',
  login_code: 'sign-in code',
  verification: 'verification code',
  phone_verification: 'verification code',
  access_code: 'temporary access code',
  test: 'test message',
}
const messageKind = (v: unknown): string => {
  const k = str(v)
  return k ? (messageKinds[k] ?? k.replace(/[_.]/g, ' ')) : 'message'
}

const signInMethods: Record<string, string> = {
  totp: 'with the authenticator app',
  backup_code: 'with a backup code',
  password: 'with a password',
  sms: 'with an SMS code',
  access_code: 'with a temporary access code',
  enrollment: 'by setting up two-factor authentication',
}

/** Policy fields as the Settings page names them. */
const policyFields: Record<string, string> = {
  idleLockMinutes: 'idle lock',
  sessionLifetimeHours: 'session lifetime',
  failuresBeforeDelay: 'failures before slowing down',
  failuresBeforeLock: 'failures before locking',
  lockMinutes: 'lock duration',
  gracePeriodDays: '2FA grace period',
  requireTwoFactorForNewUsers: '2FA for new users',
  recoveryCoolingOffMinutes: 'recovery cooling-off',
  recoveryRequestHours: 'recovery request lifetime',
  noticesBy: 'how people are told of changes',
}

const roleName = (v: unknown): string => {
  const r = str(v)
  return r && r in roleLabel ? roleLabel[r as Role].toLowerCase() : 'a new role'
}

const request = (d: Data): string => {
  const id = num(d.requestId)
  return id === undefined ? 'a recovery request' : `recovery request #${id}`
}

const message = (channel: 'SMS' | 'email', p: Parts, verb: string): string => {
  const to = str(p.d.to)
  return `${channel === 'SMS' ? 'An SMS' : 'An email'} (${messageKind(p.d.kind)})${to ? ` to ${to}` : ''} ${verb}`
}

const OUTBOX_NOTE = ': it stays in the local outbox, as no provider is set up'

const sentences: Record<string, (p: Parts) => string> = {
  // Signing in and sessions
  'login.password_accepted': (p) =>
    `${p.actor} entered the right password${p.on}${str(p.d.next) && p.d.next !== 'done' ? '; a second step followed' : ''}`,
  'login.succeeded': (p) => {
    const how = signInMethods[str(p.d.method) ?? '']
    return `${p.actor} signed in${how ? ` ${how}` : ''}${p.on}`
  },
  'login.failed': (p) => `A sign-in as ${p.subject} failed (${reason(p.d.reason)})${p.on}`,
  'login.refused': (p) => `${p.actor} was refused sign-in: ${reason(p.d.reason)}${p.on}`,
  'login.sms_code_sent': (p) =>
    `${p.actor} asked for a sign-in code by SMS${str(p.d.phone) ? ` to ${str(p.d.phone)}` : ''}${p.on}`,
  'login.sms_code_refused': (p) =>
    `An SMS sign-in code for ${p.subject} was refused (${reason(p.d.reason)})${p.on}`,
  'login.sms_recovery': (p) =>
    `${p.actor} signed in with an SMS code${str(p.d.phone) ? ` sent to ${str(p.d.phone)}` : ''}${p.on}`,
  'login.access_code_refused': (p) =>
    `A temporary access code for ${p.subject} was refused (${reason(p.d.reason)})${p.on}`,
  logout: (p) => `${p.actor} signed out${p.on}`,
  'session.locked': (p) =>
    p.d.reason === 'idle'
      ? `The console of ${p.actor} locked itself after being idle${p.on}`
      : `${p.actor} locked the console${p.on}`,
  'session.unlocked': (p) => `${p.actor} unlocked the console${p.on}`,
  'session.unlock_failed': (p) => `A wrong password was typed to unlock the console of ${p.subject}${p.on}`,
  'session.expired': (p) => `The session of ${p.actor} reached its time limit and ended${p.on}`,
  'session.ended': (p) => `The session of ${p.actor} ended: ${reason(p.d.reason)}${p.on}`,
  'reauth.failed': (p) => `${p.actor} typed a wrong password when asked to confirm it was them${p.on}`,
  'account.locked': (p) => {
    const who = p.d.unknownEmail === true ? 'Sign-ins with an unknown email were' : `${p.subject} was`
    const factor = p.d.factor === 'second_factor' ? 'second-step' : 'password'
    const failures = num(p.d.consecutiveFailures)
    const until =
      p.d.permanent === true
        ? 'until an administrator unlocks the account'
        : str(p.d.until)
          ? `until ${p.time(p.d.until)}`
          : ''
    return `${who} locked after ${failures === undefined ? 'repeated' : failures} failed ${factor} attempts${until ? ` ${until}` : ''}`
  },

  // Two-factor authentication
  '2fa.enrollment_started': (p) => `${p.actor} started setting up two-factor authentication${p.on}`,
  '2fa.enrollment_abandoned': (p) => `${p.actor} left two-factor setup unfinished${p.on}`,
  '2fa.enrolled': (p) =>
    `${p.actor} turned on two-factor authentication and received ${plural(num(p.d.backupCodesIssued) ?? 5, 'backup code')}${p.on}`,
  '2fa.code_accepted': (p) =>
    p.d.purpose === 'login' || p.d.purpose === undefined
      ? `${p.actor} entered a correct app code${p.on}`
      : `${p.actor} confirmed it was them with an app code${p.on}`,
  '2fa.code_refused': (p) => {
    if (p.d.during === 'enrollment') {
      return `${p.actor} typed a wrong app code while setting up two-factor authentication${p.on}`
    }
    const what = p.d.method === 'backup_code' ? 'A backup code' : 'An app code'
    return `${what} for ${p.subject} was refused (${reason(p.d.reason ?? 'wrong_code')})${p.on}`
  },
  '2fa.backup_code_used': (p) => {
    const slot = num(p.d.slot)
    const code = slot === undefined ? 'a backup code' : `backup code ${slot} of 5`
    const left = num(p.d.remaining)
    const rest = left === undefined ? '' : ` (${left} left)`
    return p.d.purpose === 'login' || p.d.purpose === undefined
      ? `${p.actor} signed in with ${code}${p.on}${rest}`
      : `${p.actor} confirmed it was them with ${code}${p.on}${rest}`
  },
  '2fa.backup_codes_regenerated': (p) => `${p.actor} created a new set of backup codes${p.on}`,
  '2fa.disabled': (p) =>
    p.self
      ? `${p.actor} turned off two-factor authentication${p.on}`
      : `${p.actor} turned off two-factor authentication for ${p.subject}${p.on}`,
  '2fa.revoked_after_sms_recovery': (p) =>
    `The authenticator and backup codes of ${p.subject} were revoked after an SMS recovery; a new authenticator is needed`,
  '2fa.revoked_after_support_recovery': (p) =>
    `The authenticator and backup codes of ${p.subject} were revoked after a support recovery; a new authenticator is needed`,
  'user.2fa_reset': (p) => `${p.actor} reset two-factor authentication for ${p.subject}${p.on}`,
  'user.2fa_required': (p) => `${p.actor} required two-factor authentication for ${p.subject}${p.on}`,
  'user.2fa_not_required': (p) =>
    `${p.actor} stopped requiring two-factor authentication for ${p.subject}${p.on}`,

  // Passwords
  'password.changed': (p) => `${p.actor} changed their password${p.on}`,
  'password.reset': (p) => {
    if (p.d.via === 'access_code') return `${p.actor} set a new password with a temporary access code${p.on}`
    const by =
      p.d.issuedBy === null || p.d.issuedBy === undefined ? '' : ` issued by ${p.person(p.d.issuedBy)}`
    return `${p.actor} set a new password with a reset code${by}${p.on}`
  },
  'password.reset_issued': (p) =>
    `${p.actor} issued a password reset code for ${p.subject}${p.d.delivery === 'email' ? ', sent by email' : ', shown once'}${p.on}`,
  'password.reset_requested': (p) => {
    const who = p.subject !== 'someone' ? p.subject : (str(p.d.email) ?? 'an unknown email')
    const outcome = str(p.d.outcome)
    return `A password reset was requested for ${who}${outcome && outcome !== 'sent' ? ` (${reason(outcome)})` : ''}${p.on}`
  },
  'password.reset_refused': (p) =>
    `A password reset code for ${p.subject !== 'someone' ? p.subject : (str(p.d.email) ?? 'an unknown email')} was refused (${reason(p.d.reason)})${p.on}`,

  // Emergency phone
  'phone.verification_sent': (p) =>
    `${p.actor} asked for a verification code${str(p.d.phone) ? ` at ${str(p.d.phone)}` : ''}${p.d.change === true ? ' to change their emergency phone' : ''}${p.on}`,
  'phone.code_refused': (p) =>
    `${p.actor} typed a verification code for ${str(p.d.phone) ?? 'their phone'} that was refused (${reason(p.d.reason)})${p.on}`,
  'phone.verified': (p) =>
    `${p.actor} verified ${str(p.d.phone) ?? 'a phone'} as their emergency phone${str(p.d.replaced) ? `, replacing ${str(p.d.replaced)}` : ''}${p.on}`,

  // People
  'setup.owner_created': (p) => `${p.actor} set up Tessera and became its first owner${p.on}`,
  'user.created': (p) =>
    `${p.actor} invited ${p.subject} as ${roleName(p.d.role)}${p.d.requireTwoFactor === true ? ', with 2FA required' : ''}${p.on}`,
  'user.invitation_resent': (p) => `${p.actor} sent ${p.subject} a new invitation${p.on}`,
  'user.activated': (p) => `${p.actor} activated their account${p.on}`,
  'user.activation_failed': (p) =>
    `An activation for ${str(p.d.email) ?? p.subject} failed (${reason(p.d.reason)})${p.on}`,
  'user.unlocked': (p) => `${p.actor} unlocked ${p.subject}${p.on}`,
  'user.disabled': (p) => `${p.actor} disabled the account of ${p.subject}${p.on}`,
  'user.enabled': (p) => `${p.actor} enabled the account of ${p.subject}${p.on}`,
  'user.role_changed': (p) => `${p.actor} made ${p.subject} ${roleName(p.d.role)}${p.on}`,
  'user.deleted': (p) => `${p.actor} deleted the account of ${p.subject}${p.on}`,
  'users.imported': (p) => {
    const skipped = num(p.d.skipped) ?? 0
    return `${p.actor} imported ${plural(num(p.d.count) ?? 0, 'person', 'people')}${skipped > 0 ? ` (${skipped} already there)` : ''}${p.on}`
  },
  'users.import_codes_delivered': (p) =>
    `${p.actor} saved the invitation codes of ${plural(num(p.d.count) ?? 0, 'imported person', 'imported people')}${p.on}`,
  'users.import_forgotten': (p) =>
    `${p.actor} discarded an unfinished import (${plural(num(p.d.codesErased) ?? 0, 'held code')} erased)${p.on}`,

  // Recovery
  'recovery.requested': (p) =>
    p.d.kind === 'admin_reset'
      ? `${p.actor} asked to reset ${p.d.purpose === 'password' ? 'the password' : 'two-factor authentication'} of ${p.subject}: ${request(p.d)}${p.on}`
      : `${p.subject} asked support to restore their access: ${request(p.d)}${p.on}`,
  'recovery.request_refused': (p) =>
    `A request to support for ${str(p.d.email) ?? p.subject} was refused (${reason(p.d.reason)})${p.on}`,
  'recovery.verifying': (p) => `${p.actor} started verifying ${request(p.d)} for ${p.subject}${p.on}`,
  'recovery.checks_recorded': (p) => {
    const checks = Array.isArray(p.d.checks) ? p.d.checks.length : 0
    const note = p.d.note === true ? ' and a note' : ''
    return checks > 0
      ? `${p.actor} recorded ${plural(checks, 'identity check')}${note} on ${request(p.d)} for ${p.subject}${p.on}`
      : `${p.actor} added a note to ${request(p.d)} for ${p.subject}${p.on}`
  },
  'recovery.approval_recorded': (p) => {
    const have = num(p.d.approvals)
    const need = num(p.d.approvalsRequired)
    return `${p.actor} approved ${request(p.d)} for ${p.subject}${have !== undefined && need !== undefined ? ` (${have} of ${need} approvals)` : ''}${p.on}`
  },
  'recovery.approved': (p) => {
    const approvers = Array.isArray(p.d.approvers) ? p.d.approvers.map(p.person) : []
    const from = str(p.d.effectiveAt) ? `; a code can be issued from ${p.time(p.d.effectiveAt)}` : ''
    return `${request(p.d)} for ${p.subject} was approved${approvers.length ? ` by ${list(approvers)}` : ''}${from}`
  },
  'recovery.denied': (p) =>
    `${p.actor} denied ${request(p.d)} for ${p.subject}${str(p.d.reason) ? `: “${str(p.d.reason)}”` : ''}${p.on}`,
  'recovery.code_issued': (p) => {
    const how =
      p.d.delivery === 'sms'
        ? ` by SMS${str(p.d.phone) ? ` to ${str(p.d.phone)}` : ''}`
        : p.d.delivery === 'email'
          ? ' by email'
          : ', shown once to read out'
    const until = str(p.d.expiresAt) ? `, valid until ${p.time(p.d.expiresAt)}` : ''
    return `${p.actor} issued a temporary access code for ${p.subject}${how}${until}${p.on}`
  },
  'recovery.completed': (p) =>
    p.self
      ? `${p.actor} signed in with the temporary access code from ${request(p.d)}${p.on}`
      : `${p.actor} completed ${request(p.d)} for ${p.subject}${p.on}`,
  'recovery.expired': (p) => `${request(p.d)} for ${p.subject} expired without being completed`,

  // Messages
  'sms.queued': (p) => message('SMS', p, 'was queued'),
  'sms.sent': (p) =>
    p.d.provider === 'outbox'
      ? `${message('SMS', p, 'was not sent')}${OUTBOX_NOTE}`
      : message('SMS', p, 'was sent'),
  'sms.failed': (p) =>
    `${message('SMS', p, 'could not be sent')} after ${plural(num(p.d.attempts) ?? 1, 'attempt')} (${reason(p.d.reason)})`,
  'sms.undelivered': (p) =>
    `${message('SMS', p, 'was not delivered')} (${reason(p.d.reason ?? p.d.providerStatus)})`,
  'sms.capped': (p) =>
    `${message('SMS', p, 'was left out')}: at most ${num(p.d.max) ?? 'a few'} ${str(p.d.cap) === 'hour' ? 'an hour' : 'may go out'}`,
  'sms.config_updated': (p) =>
    `${p.actor} changed the SMS settings${p.d.provider === 'outbox' ? ' (local outbox)' : p.d.provider === 'twilio' ? ' (Twilio)' : ''}${p.d.credentialsReplaced === true ? ' and replaced the credentials' : ''}${p.on}`,
  'email.queued': (p) => message('email', p, 'was queued'),
  'email.sent': (p) =>
    p.d.provider === 'outbox'
      ? `${message('email', p, 'was not sent')}${OUTBOX_NOTE}`
      : message('email', p, 'was sent'),
  'email.failed': (p) =>
    `${message('email', p, 'could not be sent')} after ${plural(num(p.d.attempts) ?? 1, 'attempt')} (${reason(p.d.reason)})`,
  'email.capped': (p) =>
    `${message('email', p, 'was left out')}: at most ${num(p.d.max) ?? 'a few'} ${str(p.d.cap) === 'hour' ? 'an hour' : 'may go out'}`,
  'email.config_updated': (p) =>
    `${p.actor} changed the email settings${p.d.provider === 'outbox' ? ' (local outbox)' : p.d.provider === 'smtp' ? ' (SMTP)' : ''}${p.d.credentialsReplaced === true ? ' and replaced the password' : ''}${p.on}`,

  // Settings and the trail itself
  'policy.updated': (p) => {
    const changed = p.d.changed && typeof p.d.changed === 'object' ? Object.keys(p.d.changed) : []
    const names = changed.map((k) => policyFields[k] ?? k.replace(/([A-Z])/g, ' $1').toLowerCase())
    return `${p.actor} changed the policy${names.length ? `: ${list(names)}` : ''}${p.on}`
  },
  'audit.anchored': (p) =>
    p.d.to === 'owners'
      ? `${p.actor} sent an anchor of the audit trail to ${plural(num(p.d.owners) ?? 0, 'owner')}${p.on}`
      : `${p.actor} saved an anchor of the audit trail${p.on}`,
}

/** The event types this module has words for. */
export const describedEventTypes: readonly string[] = Object.keys(sentences)

const capitalize = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1)

/** "2fa.backup_codes_regenerated" → "2FA: backup codes regenerated", for events this module does not know. */
function readableType(type: string): string {
  const [area = '', ...rest] = type.split('.')
  const words = (s: string) => s.replace(/_/g, ' ').replace(/\b2fa\b/gi, '2FA')
  return rest.length ? `${capitalize(words(area))}: ${words(rest.join(' '))}` : capitalize(words(area))
}

/** The event as one sentence, names and times included; `locale` formats its times (default: the browser's). */
export function describeEvent(e: AuditEventDto, locale?: string): string {
  const d = e.data
  const person = (id: unknown): string => {
    if (typeof id !== 'number') return 'someone'
    return e.people[id] ?? 'someone'
  }
  const actor =
    e.actorId !== null ? person(e.actorId) : d.actor === 'key-holder' ? 'The key holder' : 'Tessera'
  const machine = str(d.machine)
  const on =
    d.via === 'cli'
      ? ` from the command line${machine ? ` on ${machine}` : ''}`
      : machine
        ? ` on ${machine}`
        : ''
  const parts: Parts = {
    actor,
    subject: e.subjectId !== null ? person(e.subjectId) : 'someone',
    self: e.actorId !== null && e.actorId === e.subjectId,
    d,
    on,
    person,
    time: (v) => {
      const at = typeof v === 'number' ? v : typeof v === 'string' ? Date.parse(v) : NaN
      return Number.isNaN(at) ? 'an unknown time' : formatDateTime(at, { locale })
    },
    locale,
  }
  const sentence = sentences[e.type]
  if (sentence) return `${capitalize(sentence(parts))}.`
  const about = e.subjectId !== null && !parts.self ? ` about ${parts.subject}` : ''
  return `${readableType(e.type)}, by ${actor}${about}${on}.`
}
