import { bulkActions } from '../../../shared/contract/users'
import type { AuditEventDto } from '../../../shared/dto'
import { i18n, languageFor } from '../i18n'
import { currentLocale, formatDateTime } from './time'

/**
 * Every audit event as a sentence with people's names ("Mia Lind signed in with backup code 1 of 5 on
 * OFFICE-PC-3"): the one place the console turns an event into words, used by every event list. The
 * main process supplies the names (`people`); the raw event stays available behind "Details". The words
 * come from the `events` catalogs: one text per sentence, with the optional parts (where, how, until
 * when) as placeholders each language places where it reads naturally.
 */

type Data = Record<string, unknown>
type Vars = Record<string, unknown>
type T = (key: string, vars?: Vars) => string

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
  /** "a, b and c" in the language's own way (Intl.ListFormat). */
  list: (items: readonly string[]) => string
  /** A number in the locale's digits ("1,000", "1.000"). */
  number: (n: number) => string
  t: T
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined)
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined)
/** A catalog text when the catalog has one, else the raw value in plain words (snake_case → words). */
const known = (t: T, group: string, v: string): string =>
  i18n.exists(`${group}.${v}`, { ns: 'events' }) ? t(`${group}.${v}`) : v.replace(/[_.]/g, ' ')

/** Why something was refused, as people say it; unknown reasons read as their words. */
const reason = (t: T, v: unknown): string => {
  const r = str(v)
  return r ? known(t, 'reason', r) : t('noReason')
}

/** What kind of message an SMS or email was. */
const messageKind = (t: T, v: unknown): string => {
  const k = str(v)
  return k ? known(t, 'kind', k) : t('kind.message')
}

const roleName = (t: T, v: unknown): string => {
  const r = str(v)
  return r && i18n.exists(`role.${r}`, { ns: 'events' }) ? t(`role.${r}`) : t('newRole')
}

const request = (t: T, d: Data): string => {
  const id = num(d.requestId)
  return id === undefined ? t('request.any') : t('request.numbered', { id })
}

/** "An SMS (sign-in code) to +34 … 123", the subject of every message sentence. */
const message = (channel: 'sms' | 'email', p: Parts): string => {
  const to = str(p.d.to)
  return p.t(`message.${channel}`, {
    kind: messageKind(p.t, p.d.kind),
    to: to ? p.t(`message.${channel}To`, { to }) : '',
  })
}

/** Optional parts of a sentence: the text when `value` is there, else nothing. */
const part = (p: Parts, key: string, value: unknown, name: string): string => {
  const v = str(value)
  return v ? p.t(`part.${key}`, { [name]: v }) : ''
}

const messages = (channel: 'sms' | 'email'): Record<string, (p: Parts) => string> => ({
  [`${channel}.queued`]: (p) => p.t('message.queued', { message: message(channel, p) }),
  [`${channel}.sent`]: (p) =>
    p.t(p.d.provider === 'outbox' ? 'message.sentToOutbox' : 'message.sent', {
      message: message(channel, p),
    }),
  [`${channel}.failed`]: (p) =>
    p.t('message.failed', {
      message: message(channel, p),
      count: num(p.d.attempts) ?? 1,
      reason: reason(p.t, p.d.reason),
    }),
  [`${channel}.capped`]: (p) =>
    p.t(str(p.d.cap) === 'hour' ? 'message.cappedHour' : 'message.capped', {
      message: message(channel, p),
      max: num(p.d.max) === undefined ? p.t('aFew') : p.number(num(p.d.max)!),
    }),
})

/** A sentence of the catalog with who, whom and where filled in, plus `vars`. */
const say =
  (key: string, vars: (p: Parts) => Vars = () => ({})) =>
  (p: Parts): string =>
    p.t(`sentence.${key}`, { actor: p.actor, subject: p.subject, on: p.on, ...vars(p) })

/** Same as `say`, for the sentence of the event type itself. */
const simple = (type: string) => [type, say(type)] as const

const sentences: Record<string, (p: Parts) => string> = {
  // Signing in and sessions
  ...Object.fromEntries(
    [
      'logout',
      'session.unlocked',
      'session.unlock_failed',
      'session.expired',
      'reauth.failed',
      '2fa.enrollment_started',
      '2fa.enrollment_abandoned',
      '2fa.backup_codes_regenerated',
      '2fa.revoked_after_sms_recovery',
      '2fa.revoked_after_support_recovery',
      'user.2fa_reset',
      'user.2fa_required',
      'user.2fa_not_required',
      'password.changed',
      'setup.owner_created',
      'user.invitation_resent',
      'user.activated',
      'user.unlocked',
      'user.disabled',
      'user.enabled',
      'user.deleted',
    ].map(simple),
  ),
  'login.password_accepted': say('login.password_accepted', (p) => ({
    next: str(p.d.next) && p.d.next !== 'done' ? p.t('part.secondStep') : '',
  })),
  'login.succeeded': (p) => {
    const method = str(p.d.method)
    return method && i18n.exists(`method.${method}`, { ns: 'events' })
      ? say('login.succeededHow', () => ({ how: p.t(`method.${method}`) }))(p)
      : say('login.succeeded')(p)
  },
  'login.failed': say('login.failed', (p) => ({ reason: reason(p.t, p.d.reason) })),
  'login.refused': say('login.refused', (p) => ({ reason: reason(p.t, p.d.reason) })),
  'login.sms_code_sent': say('login.sms_code_sent', (p) => ({
    phone: part(p, 'phoneTo', p.d.phone, 'phone'),
  })),
  'login.sms_code_refused': say('login.sms_code_refused', (p) => ({ reason: reason(p.t, p.d.reason) })),
  'login.sms_recovery': say('login.sms_recovery', (p) => ({ phone: part(p, 'sentTo', p.d.phone, 'phone') })),
  'login.access_code_refused': say('login.access_code_refused', (p) => ({ reason: reason(p.t, p.d.reason) })),
  'session.locked': (p) => say(p.d.reason === 'idle' ? 'session.lockedIdle' : 'session.locked')(p),
  'session.ended': say('session.ended', (p) => ({ reason: reason(p.t, p.d.reason) })),
  'account.locked': (p) => {
    const factor = p.d.factor === 'second_factor' ? 'secondStepAttempts' : 'passwordAttempts'
    const failures = num(p.d.consecutiveFailures)
    const attempts =
      failures === undefined ? p.t(`part.${factor}Repeated`) : p.t(`part.${factor}`, { count: failures })
    const until =
      p.d.permanent === true
        ? p.t('part.untilAdmin')
        : str(p.d.until)
          ? p.t('part.untilTime', { time: p.time(p.d.until) })
          : ''
    return say(p.d.unknownEmail === true ? 'account.lockedUnknownEmail' : 'account.locked', () => ({
      attempts,
      until,
    }))(p)
  },

  // Two-factor authentication
  '2fa.enrolled': say('2fa.enrolled', (p) => ({ count: num(p.d.backupCodesIssued) ?? 5 })),
  '2fa.code_accepted': (p) =>
    say(
      p.d.purpose === 'login' || p.d.purpose === undefined ? '2fa.code_accepted' : '2fa.codeAcceptedConfirm',
    )(p),
  '2fa.code_refused': (p) => {
    if (p.d.during === 'enrollment') return say('2fa.codeRefusedEnrollment')(p)
    return say(p.d.method === 'backup_code' ? '2fa.backupCodeRefused' : '2fa.code_refused', () => ({
      reason: reason(p.t, p.d.reason ?? 'wrong_code'),
    }))(p)
  },
  '2fa.backup_code_used': (p) => {
    const slot = num(p.d.slot)
    const left = num(p.d.remaining)
    return say(
      p.d.purpose === 'login' || p.d.purpose === undefined ? '2fa.backup_code_used' : '2fa.backupCodeConfirm',
      () => ({
        code: slot === undefined ? p.t('part.backupAny') : p.t('part.backupSlot', { slot }),
        left: left === undefined ? '' : p.t('part.left', { count: left }),
      }),
    )(p)
  },
  '2fa.disabled': (p) => say(p.self ? '2fa.disabledSelf' : '2fa.disabled')(p),

  // Passwords
  'password.reset': (p) => {
    if (p.d.via === 'access_code') return say('password.resetWithAccessCode')(p)
    return p.d.issuedBy === null || p.d.issuedBy === undefined
      ? say('password.reset')(p)
      : say('password.resetIssuedBy', () => ({ issuer: p.person(p.d.issuedBy) }))(p)
  },
  'password.reset_issued': (p) =>
    say(p.d.delivery === 'email' ? 'password.resetIssuedByEmail' : 'password.reset_issued')(p),
  'password.reset_requested': (p) => {
    const outcome = str(p.d.outcome)
    const vars = { who: someoneOrEmail(p), reason: reason(p.t, outcome) }
    return say(
      outcome && outcome !== 'sent' ? 'password.resetRequestedOutcome' : 'password.reset_requested',
      () => vars,
    )(p)
  },
  'password.reset_refused': say('password.reset_refused', (p) => ({
    who: someoneOrEmail(p),
    reason: reason(p.t, p.d.reason),
  })),

  // Emergency phone
  'phone.verification_sent': say('phone.verification_sent', (p) => ({
    phone: part(p, 'phoneAt', p.d.phone, 'phone'),
    change: p.d.change === true ? p.t('part.toChangePhone') : '',
  })),
  'phone.code_refused': say('phone.code_refused', (p) => ({
    phone: str(p.d.phone) ?? p.t('theirPhone'),
    reason: reason(p.t, p.d.reason),
  })),
  'phone.verified': say('phone.verified', (p) => ({
    phone: str(p.d.phone) ?? p.t('aPhone'),
    replacing: part(p, 'replacing', p.d.replaced, 'phone'),
  })),

  // People
  'user.created': say('user.created', (p) => ({
    role: roleName(p.t, p.d.role),
    required: p.d.requireTwoFactor === true ? p.t('part.with2fa') : '',
  })),
  'user.activation_failed': say('user.activation_failed', (p) => ({
    who: str(p.d.email) ?? p.subject,
    reason: reason(p.t, p.d.reason),
  })),
  'user.role_changed': say('user.role_changed', (p) => ({ role: roleName(p.t, p.d.role) })),
  'users.imported': say('users.imported', (p) => {
    const skipped = num(p.d.skipped) ?? 0
    return {
      count: num(p.d.count) ?? 0,
      skipped: skipped > 0 ? p.t('part.skipped', { count: skipped }) : '',
    }
  }),
  'users.import_codes_delivered': say('users.import_codes_delivered', (p) => ({
    count: num(p.d.count) ?? 0,
  })),
  'users.import_forgotten': say('users.import_forgotten', (p) => ({ count: num(p.d.codesErased) ?? 0 })),
  'users.bulk_started': say('users.bulk_started', (p) => ({
    action: bulkAction(p),
    count: num(p.d.count) ?? 0,
  })),
  'users.bulk_finished': say('users.bulk_finished', (p) => ({
    action: bulkAction(p),
    done: num(p.d.done) ?? 0,
    skipped: num(p.d.skipped) ?? 0,
    failed: num(p.d.failed) ?? 0,
  })),

  // Recovery
  'recovery.requested': (p) => {
    const key =
      p.d.kind !== 'admin_reset'
        ? 'recovery.requested'
        : p.d.purpose === 'password'
          ? 'recovery.requestedPassword'
          : 'recovery.requested2fa'
    return say(key, () => ({ request: request(p.t, p.d) }))(p)
  },
  'recovery.request_refused': say('recovery.request_refused', (p) => ({
    who: str(p.d.email) ?? p.subject,
    reason: reason(p.t, p.d.reason),
  })),
  'recovery.verifying': say('recovery.verifying', (p) => ({ request: request(p.t, p.d) })),
  'recovery.checks_recorded': (p) => {
    const checks = Array.isArray(p.d.checks) ? p.d.checks.length : 0
    return checks > 0
      ? say('recovery.checks_recorded', () => ({
          count: checks,
          note: p.d.note === true ? p.t('part.withNote') : '',
          request: request(p.t, p.d),
        }))(p)
      : say('recovery.noteAdded', () => ({ request: request(p.t, p.d) }))(p)
  },
  'recovery.approval_recorded': say('recovery.approval_recorded', (p) => {
    const have = num(p.d.approvals)
    const need = num(p.d.approvalsRequired)
    return {
      request: request(p.t, p.d),
      approvals: have !== undefined && need !== undefined ? p.t('part.approvals', { have, need }) : '',
    }
  }),
  'recovery.approved': say('recovery.approved', (p) => {
    const approvers = Array.isArray(p.d.approvers) ? p.d.approvers.map(p.person) : []
    return {
      request: request(p.t, p.d),
      by: approvers.length ? p.t('part.approvedBy', { names: p.list(approvers) }) : '',
      from: str(p.d.effectiveAt) ? p.t('part.issuableFrom', { time: p.time(p.d.effectiveAt) }) : '',
    }
  }),
  'recovery.denied': say('recovery.denied', (p) => ({
    request: request(p.t, p.d),
    because: part(p, 'deniedBecause', p.d.reason, 'reason'),
  })),
  'recovery.code_issued': say('recovery.code_issued', (p) => ({
    how:
      p.d.delivery === 'sms'
        ? str(p.d.phone)
          ? p.t('part.bySmsTo', { phone: str(p.d.phone) })
          : p.t('part.bySms')
        : p.d.delivery === 'email'
          ? p.t('part.byEmail')
          : p.t('part.shownToReadOut'),
    until: str(p.d.expiresAt) ? p.t('part.validUntil', { time: p.time(p.d.expiresAt) }) : '',
  })),
  'recovery.completed': (p) =>
    say(p.self ? 'recovery.completedSelf' : 'recovery.completed', () => ({ request: request(p.t, p.d) }))(p),
  'recovery.expired': say('recovery.expired', (p) => ({ request: request(p.t, p.d) })),

  // Messages
  ...messages('sms'),
  'sms.undelivered': (p) =>
    p.t('message.undelivered', {
      message: message('sms', p),
      reason: reason(p.t, p.d.reason ?? p.d.providerStatus),
    }),
  'sms.config_updated': say('sms.config_updated', (p) => ({
    provider:
      p.d.provider === 'outbox' ? p.t('part.outbox') : p.d.provider === 'twilio' ? p.t('part.twilio') : '',
    credentials: p.d.credentialsReplaced === true ? p.t('part.newCredentials') : '',
  })),
  ...messages('email'),
  'email.config_updated': say('email.config_updated', (p) => ({
    provider:
      p.d.provider === 'outbox' ? p.t('part.outbox') : p.d.provider === 'smtp' ? p.t('part.smtp') : '',
    credentials: p.d.credentialsReplaced === true ? p.t('part.newSmtpPassword') : '',
  })),

  // Settings and the trail itself
  'policy.updated': say('policy.updated', (p) => {
    const changed = p.d.changed && typeof p.d.changed === 'object' ? Object.keys(p.d.changed) : []
    const names = changed.map((k) =>
      i18n.exists(`policyField.${k}`, { ns: 'events' })
        ? p.t(`policyField.${k}`)
        : k.replace(/([A-Z])/g, ' $1').toLowerCase(),
    )
    return { fields: names.length ? p.t('part.policyFields', { fields: p.list(names) }) : '' }
  }),
  'audit.anchored': (p) =>
    p.d.to === 'owners'
      ? say('audit.anchoredToOwners', () => ({ count: num(p.d.owners) ?? 0 }))(p)
      : say('audit.anchored')(p),
}

/** A bulk action by its button's name; one this console does not know reads as "a bulk action". */
function bulkAction(p: Parts): string {
  const action = str(p.d.action)
  return p.t(`bulkAction.${action && (bulkActions as readonly string[]).includes(action) ? action : 'any'}`)
}

/** The person a reset was for, else the email it was asked for, else "an unknown email". */
function someoneOrEmail(p: Parts): string {
  return p.subject !== p.t('someone') ? p.subject : (str(p.d.email) ?? p.t('unknownEmail'))
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

const lists = new Map<string, Intl.ListFormat>()
function listFormat(locale: string): Intl.ListFormat {
  let f = lists.get(locale)
  if (!f) {
    try {
      f = new Intl.ListFormat(locale, { type: 'conjunction' })
    } catch {
      f = new Intl.ListFormat(languageFor(locale), { type: 'conjunction' })
    }
    lists.set(locale, f)
  }
  return f
}

/**
 * The event as one sentence, names and times included, in the language of `locale` (default: the
 * console's language, with the OS's region) — its dates, times and lists formatted for that locale.
 */
export function describeEvent(e: AuditEventDto, locale: string = currentLocale()): string {
  const language = languageFor(locale)
  const t = i18n.getFixedT(language, 'events') as unknown as T
  // Lists and numbers are part of the words: in the locale when it is of the words' language, else
  // in that language (an English sentence on a German OS says "a, b and c", its dates stay German).
  const wordsLocale = locale.toLowerCase().split(/[-_]/)[0] === language ? locale : language
  const d = e.data
  const someone = t('someone')
  const person = (id: unknown): string => {
    if (typeof id !== 'number') return someone
    return e.people[id] ?? someone
  }
  const actor =
    e.actorId !== null ? person(e.actorId) : d.actor === 'key-holder' ? t('keyHolder') : t('tessera')
  const machine = str(d.machine)
  const on =
    d.via === 'cli'
      ? machine
        ? t('on.cliMachine', { machine })
        : t('on.cli')
      : machine
        ? t('on.machine', { machine })
        : ''
  const parts: Parts = {
    actor,
    subject: e.subjectId !== null ? person(e.subjectId) : someone,
    self: e.actorId !== null && e.actorId === e.subjectId,
    d,
    on,
    person,
    time: (v) => {
      const at = typeof v === 'number' ? v : typeof v === 'string' ? Date.parse(v) : NaN
      return Number.isNaN(at) ? t('unknownTime') : formatDateTime(at, { locale })
    },
    list: (items) => listFormat(wordsLocale).format(items),
    number: (n) => new Intl.NumberFormat(wordsLocale).format(n),
    t,
  }
  const sentence = sentences[e.type]
  if (sentence) return `${capitalize(sentence(parts))}.`
  const about = e.subjectId !== null && !parts.self ? t('part.about', { subject: parts.subject }) : ''
  return `${t('unknownType', { type: readableType(e.type), actor, about, on })}.`
}
