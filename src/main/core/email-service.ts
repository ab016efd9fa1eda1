import type { EmailConfigDto, EmailOutboxEntryDto, EmailOutboxPage } from '../../shared/dto'
import { ProviderSecret } from './provider-secret'
import { AppError } from '../../shared/result'
import type { EmailConfigureInput } from '../../shared/schemas'
import type { Clock } from '../adapters/clock'
import type { Keychain } from '../adapters/keychain'
import { createSmtpSender } from '../adapters/smtp-email'
import type { DatabaseKeyStore } from '../db/open'
import {
  claimDueEmail,
  emailCountsSince,
  getEmail,
  insertEmail,
  listEmail,
  markEmailAttemptFailed,
  markEmailSent,
  type EmailOutboxRow,
} from '../db/queries/email'
import { getSetting, putSetting } from '../db/queries/settings'
import { SMTP_PASSWORD_SETTING } from '../db/sealed'
import type { Store } from '../db/store'
import type { AuditLog } from './audit'
import type { ClientInfo } from './client'
import {
  DEFAULT_EMAIL_SETTINGS,
  isLoopbackHost,
  type EmailSender,
  type EmailSettings,
  type OutgoingEmail,
  type SendOutcome,
} from './email'
import { testEmail, type Language } from './messages'
import { afterFailure, OutboxLoop, type DeliveryReport } from './outbox'

/** What email may cost at most, whatever asks for it: per person and in all, in an hour. */
export const EMAIL_CAPS = [
  { cap: 'person-hour', scope: 'person', max: 20, what: 'to this person in an hour' },
  { cap: 'all-hour', scope: 'all', max: 1000, what: 'in all in an hour' },
] as const
const HOUR_MS = 60 * 60_000

const SETTINGS_KEY = 'email'

export interface EmailServiceDeps {
  db: Store
  clock: Clock
  audit: AuditLog
  keychain: Keychain
  databaseId: string
  keyStore: DatabaseKeyStore
  /** How long one SMTP exchange may take (default 10 s). */
  smtpTimeoutMs?: number
  /** Certificates to trust besides the system's (TESSERA_SMTP_CA_FILE; a test server's own). */
  smtpCa?: string
}

export interface EmailEnqueueInput {
  to: string
  subject: string
  text: string
  html: string
  /** The text as listed in the console: the same, with any code replaced by ••••. */
  displayText: string
  /** What the message is for (invitation, password_reset, a notice's kind, test). */
  kind: string
  userId?: number | null
  actorId?: number | null
}

const toEntry = (r: EmailOutboxRow): EmailOutboxEntryDto => ({
  id: r.id,
  to: r.to_address,
  kind: r.kind,
  subject: r.subject,
  text: r.display_text,
  status: r.status,
  attempts: r.attempts,
  lastError: r.last_error,
  provider: r.provider,
  providerId: r.provider_id,
  createdAt: r.created_at,
  sentAt: r.sent_at,
  nextAttemptAt: r.status === 'queued' ? r.next_attempt_at : null,
})

/**
 * Email through a durable outbox, worked like SMS (see SmsService): `enqueue` writes a message in the
 * caller's transaction; the worker claims one due message at a time (a lease), sends it, and records the
 * outcome with its audit event in one transaction. A message the server accepted (it has the server's
 * id) is never claimed again. Each message carries a Message-ID of its own, so a resend after a crash
 * between the server's answer and our commit reaches the mailbox as the same message.
 */
export class EmailService {
  private readonly db: Store
  private readonly timeoutMs: number
  private readonly loop: OutboxLoop<EmailOutboxRow, EmailSender>
  /** The SMTP password: in the keychain, or in the database where no keychain holds it. */
  private readonly secret: ProviderSecret

  constructor(private readonly deps: EmailServiceDeps) {
    this.db = deps.db
    this.secret = new ProviderSecret({
      db: deps.db,
      keychain: deps.keychain,
      keyStore: deps.keyStore,
      account: `${deps.databaseId}:smtp`,
      setting: SMTP_PASSWORD_SETTING,
      what: 'SMTP password',
    })
    this.timeoutMs = deps.smtpTimeoutMs ?? 10_000
    this.loop = new OutboxLoop({
      claim: () => this.claim(null),
      sender: () => this.currentSender(),
      attempt: (row, sender) => this.attempt(row, sender),
    })
  }

  private get leaseMs(): number {
    return Math.max(60_000, this.timeoutMs * 3)
  }

  async settings(): Promise<EmailSettings> {
    const raw = await getSetting(this.db, SETTINGS_KEY)
    return raw
      ? { ...DEFAULT_EMAIL_SETTINGS, ...(JSON.parse(raw) as Partial<EmailSettings>) }
      : DEFAULT_EMAIL_SETTINGS
  }

  /** Whether messages leave this machine (an SMTP server is set up), rather than stay in the outbox. */
  async delivers(): Promise<boolean> {
    return (await this.settings()).provider === 'smtp'
  }

  /** The name messages speak for ("Acme IT"), or Tessera. */
  async accountName(): Promise<string> {
    return (await this.settings()).accountName ?? 'Tessera'
  }

  /**
   * Queues one message and audits `email.queued`. Call it inside the transaction that decides to send.
   * Past a cap nothing is queued (audited as `email.capped`) and null is returned: a notice never undoes
   * the change it tells of. Callers that must know (a reset code) check `withinCaps` first.
   */
  async enqueue(input: EmailEnqueueInput): Promise<number | null> {
    const write = async (): Promise<number | null> => {
      const userId = input.userId ?? null
      const actorId = input.actorId === undefined ? userId : input.actorId
      const capped = await this.capReached(userId)
      if (capped) {
        await this.deps.audit.append({
          type: 'email.capped',
          actorId,
          subjectId: userId,
          data: { to: input.to, kind: input.kind, cap: capped.cap, max: capped.max },
        })
        return null
      }
      const id = await insertEmail(this.db, {
        to: input.to,
        subject: input.subject,
        text: input.text,
        html: input.html,
        displayText: input.displayText,
        kind: input.kind,
        userId,
        now: this.deps.clock.now(),
      })
      await this.deps.audit.append({
        type: 'email.queued',
        actorId,
        subjectId: userId,
        data: { messageId: id, to: input.to, kind: input.kind },
      })
      return id
    }
    return this.db.inTransaction ? write() : this.db.transaction(write)
  }

  /** Whether one more message for this person may be queued now. */
  async withinCaps(userId: number | null): Promise<boolean> {
    return (await this.capReached(userId)) === undefined
  }

  private async capReached(userId: number | null): Promise<(typeof EMAIL_CAPS)[number] | undefined> {
    const counts = await emailCountsSince(this.db, { userId, since: this.deps.clock.now() - HOUR_MS })
    return EMAIL_CAPS.find((c) => counts[c.scope] >= c.max)
  }

  /** The worker step: sends every due message (at most `max`), one claim at a time. */
  deliverDue(options: { max?: number } = {}): Promise<DeliveryReport> {
    return this.loop.run(options.max)
  }

  /** Sends one message now if it is due; the entry says how it went. */
  async deliverNow(id: number): Promise<EmailOutboxEntryDto> {
    const claimed = await this.claim(id)
    if (claimed) {
      const sender = await this.currentSender()
      try {
        await this.attempt(claimed, sender)
      } finally {
        sender.close?.()
      }
    }
    return this.entry(id)
  }

  /** Tries just-queued messages at once; a failure leaves them to the worker. Nulls are skipped. */
  async tryNow(...ids: (number | null)[]): Promise<void> {
    for (const id of ids) {
      if (id === null) continue
      try {
        await this.deliverNow(id)
      } catch {
        // The outbox keeps it; the worker retries.
      }
    }
  }

  /** A test message to `to`, sent at once; the entry says how it went (the server's reply on failure). */
  async sendTest(
    to: string,
    actorId: number | null,
    language: Language = 'en',
  ): Promise<EmailOutboxEntryDto> {
    const message = testEmail(language, await this.accountName())
    const id = await this.enqueue({ ...message, displayText: message.text, to, kind: 'test', actorId })
    if (id === null) {
      throw new AppError('THROTTLED', 'No more email now: the hourly limit is reached. Try again later.')
    }
    return this.deliverNow(id)
  }

  async entry(id: number): Promise<EmailOutboxEntryDto> {
    const row = await getEmail(this.db, id)
    if (!row) throw new AppError('NOT_FOUND', 'No such message in the email outbox.')
    return toEntry(row)
  }

  /** Newest first; texts without codes. */
  async listOutbox(input: { limit: number; before?: number | undefined }): Promise<EmailOutboxPage> {
    const rows = await listEmail(this.db, input.before, input.limit)
    const last = rows.at(-1)
    return {
      messages: rows.map(toEntry),
      nextBefore: rows.length === input.limit && last ? last.id : null,
    }
  }

  async getConfig(): Promise<EmailConfigDto> {
    const s = await this.settings()
    return {
      provider: s.provider,
      host: s.host,
      port: s.port,
      tls: s.tls,
      user: s.user,
      from: s.from,
      accountName: s.accountName ?? null,
      passwordSet: (await this.secret.get()) !== null,
      passwordStore: this.secret.store,
    }
  }

  /**
   * Chooses the provider and saves the SMTP server's settings. The password is kept like Twilio's token:
   * in the OS keychain (account `<databaseId>:smtp`) for a keychain database, else sealed in the
   * database; never in the `email` setting, a log, argv or the audit trail. A stored password never
   * follows the settings to another server or user unless it is typed again.
   */
  async configure(
    input: EmailConfigureInput,
    actorId: number | null,
    client?: ClientInfo,
  ): Promise<EmailConfigDto> {
    const before = await this.settings()
    const invalid = (field: string, message: string): AppError =>
      new AppError('VALIDATION', message, { fields: { [field]: message } })
    const next: EmailSettings = {
      provider: input.provider,
      host: input.host ?? before.host,
      port: input.port ?? before.port,
      tls: input.tls ?? before.tls,
      user: input.user === undefined ? before.user : input.user,
      from: input.from ?? before.from,
      accountName: input.accountName === undefined ? (before.accountName ?? null) : input.accountName,
    }
    const stored = (await this.secret.get()) !== null
    const moved =
      (next.host !== before.host && before.host !== null) ||
      (next.user !== before.user && before.user !== null)
    if (moved && stored && !input.password) {
      throw invalid(
        'password',
        'Enter the SMTP password again to change the server or the user: the stored password is never sent to a new server or user without it.',
      )
    }
    if (next.provider === 'smtp') {
      if (!next.host) throw invalid('host', 'SMTP needs the server name.')
      if (!next.from) throw invalid('from', 'SMTP needs the From address.')
      if (next.tls === 'none' && !isLoopbackHost(next.host)) {
        throw invalid(
          'tls',
          'Plain SMTP without TLS is allowed only to this machine (localhost, 127.0.0.1, ::1): messages carry codes.',
        )
      }
      if (next.user && !input.password && !stored) throw invalid('password', 'Give the SMTP password.')
    }
    // A new TLS mode without a port takes that mode's usual port, unless a port of its own was set.
    const usual = (tls: EmailSettings['tls']) => (tls === 'implicit' ? 465 : 587)
    if (input.port === undefined && input.tls !== undefined && before.port === usual(before.tls)) {
      next.port = usual(next.tls)
    }
    if (next.port === null && next.host !== null) next.port = usual(next.tls)
    const password = input.password
    if (password) await this.secret.putOutside(password)
    await this.db.transaction(async () => {
      await putSetting(this.db, SETTINGS_KEY, JSON.stringify(next))
      if (password) await this.secret.putInside(password)
      await this.deps.audit.append({
        type: 'email.config_updated',
        actorId,
        data: {
          ...client,
          provider: next.provider,
          host: next.host,
          port: next.port,
          tls: next.tls,
          user: next.user,
          from: next.from,
          credentialsReplaced: password !== undefined,
        },
      })
    })
    return this.getConfig()
  }

  /** The stored SMTP password, wherever it is kept: for moving the database to a team database only. */
  storedPassword(): Promise<string | null> {
    return this.secret.get()
  }

  private async claim(onlyId: number | null): Promise<EmailOutboxRow | undefined> {
    const now = this.deps.clock.now()
    return this.db.transaction(() => claimDueEmail(this.db, now, now + this.leaseMs, onlyId))
  }

  /** The local outbox: the message is already stored, where Settings → Email outbox lists it. */
  private static readonly outbox: EmailSender = {
    provider: 'outbox',
    send: async (): Promise<SendOutcome> => ({ kind: 'accepted', sid: null, status: 'stored' }),
  }

  private async currentSender(): Promise<EmailSender> {
    const s = await this.settings()
    if (s.provider !== 'smtp') return EmailService.outbox
    const { value: password, unreachable } = await this.secret.read()
    if (!s.host || !s.from || (s.user && !password)) {
      return {
        provider: 'smtp',
        send: async () => ({
          kind: 'retryable',
          reason:
            (s.host && s.from && unreachable) ||
            'The SMTP settings are incomplete or the password is not available (Settings → Email)',
        }),
      }
    }
    return createSmtpSender(
      {
        host: s.host,
        port: s.port ?? (s.tls === 'implicit' ? 465 : 587),
        tls: s.tls,
        user: s.user,
        password,
        from: s.from,
      },
      { timeoutMs: this.timeoutMs, ...(this.deps.smtpCa ? { tlsCa: this.deps.smtpCa } : {}) },
    )
  }

  private messageIdOf(row: EmailOutboxRow): string {
    return `<${row.id}.${this.deps.databaseId}@tessera.invalid>`
  }

  /** One send of a claimed message, and its outcome recorded with its audit event in one transaction. */
  private async attempt(row: EmailOutboxRow, sender: EmailSender): Promise<keyof DeliveryReport> {
    let outcome: SendOutcome
    const message: OutgoingEmail = {
      to: row.to_address,
      subject: row.subject,
      text: row.body_text,
      html: row.body_html ?? row.body_text,
      messageId: this.messageIdOf(row),
    }
    try {
      outcome = await sender.send(message)
    } catch {
      outcome = { kind: 'retryable', reason: 'Unexpected error while sending' }
    }
    const now = this.deps.clock.now()
    return this.db.transaction(async (): Promise<keyof DeliveryReport> => {
      if (outcome.kind === 'accepted') {
        const recorded = await markEmailSent(this.db, {
          id: row.id,
          provider: sender.provider,
          providerId: outcome.sid,
          now,
        })
        if (recorded) {
          await this.deps.audit.append({
            type: 'email.sent',
            subjectId: row.user_id,
            data: { messageId: row.id, to: row.to_address, kind: row.kind, provider: sender.provider },
          })
        }
        return 'sent'
      }
      const { givingUp, reason, retryAt } = afterFailure(outcome, row.attempts, now)
      await markEmailAttemptFailed(this.db, {
        id: row.id,
        provider: sender.provider,
        error: reason,
        retryAt,
        now,
      })
      if (!givingUp) return 'retrying'
      await this.deps.audit.append({
        type: 'email.failed',
        subjectId: row.user_id,
        data: {
          messageId: row.id,
          to: row.to_address,
          kind: row.kind,
          provider: sender.provider,
          reason,
          attempts: row.attempts,
        },
      })
      return 'failed'
    })
  }
}
