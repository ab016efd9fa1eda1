import type { SmsConfigDto, SmsOutboxEntryDto, SmsOutboxPage } from '../../shared/dto'
import { ProviderSecret } from './provider-secret'
import { AppError } from '../../shared/result'
import type { SmsConfigureInput } from '../../shared/schemas'
import type { DatabaseKeyStore } from '../db/open'
import { TWILIO_TOKEN_SETTING } from '../db/sealed'
import type { Clock } from '../adapters/clock'
import type { Keychain } from '../adapters/keychain'
import { createOutboxSender } from '../adapters/outbox-sms'
import { createTwilioSender, undeliveredReason } from '../adapters/twilio-sms'
import { getSetting, putSetting } from '../db/queries/settings'
import {
  claimDueSms,
  knownSmsSids,
  type ClaimedSms,
  getSms,
  insertSms,
  listSms,
  markSmsAttemptFailed,
  FINAL_PROVIDER_STATUSES,
  markSmsSent,
  smsAwaitingStatus,
  smsCountsSince,
  updateSmsProviderStatus,
  type SmsOutboxRow,
} from '../db/queries/sms'
import type { Store } from '../db/store'
import type { AuditLog } from './audit'
import type { ClientInfo } from './client'
import { maskPhone, parseE164 } from './phone'
import { messagesIn, type Language } from './messages'
import {
  DEFAULT_SMS_SETTINGS,
  type SendOutcome,
  type SmsSender,
  type SmsSettings,
  type TwilioCredentials,
} from './sms'
import { afterFailure, OUTBOX_MAX_ATTEMPTS, OutboxLoop, type DeliveryReport } from './outbox'

export type { DeliveryReport }

/** Attempts before a message that keeps failing in a retryable way is given up on. */
export const SMS_MAX_ATTEMPTS = OUTBOX_MAX_ATTEMPTS
/** A sent Twilio message's delivery status is asked at most every 30 s, for 24 hours after sending. */
export const STATUS_CHECK_EVERY_MS = 30_000
export const STATUS_CHECK_FOR_MS = 24 * 60 * 60_000

/**
 * What SMS may cost at most, whatever asks for it (codes, notices, test messages, re-issued access codes):
 * messages queued per number, per person and in all, in the last hour and the last day.
 */
export const SMS_CAPS = [
  { cap: 'number-hour', scope: 'number', windowMs: 60 * 60_000, max: 5, what: 'to this number in an hour' },
  {
    cap: 'number-day',
    scope: 'number',
    windowMs: 24 * 60 * 60_000,
    max: 20,
    what: 'to this number in a day',
  },
  { cap: 'person-hour', scope: 'person', windowMs: 60 * 60_000, max: 10, what: 'for this person in an hour' },
  {
    cap: 'person-day',
    scope: 'person',
    windowMs: 24 * 60 * 60_000,
    max: 30,
    what: 'for this person in a day',
  },
  { cap: 'all-hour', scope: 'all', windowMs: 60 * 60_000, max: 100, what: 'in all in an hour' },
  { cap: 'all-day', scope: 'all', windowMs: 24 * 60 * 60_000, max: 500, what: 'in all in a day' },
] as const

const SETTINGS_KEY = 'sms'

export interface SmsServiceDeps {
  db: Store
  clock: Clock
  audit: AuditLog
  keychain: Keychain
  /** The database's id (keychain account `<databaseId>:twilio`) and where its own key is kept. */
  databaseId: string
  keyStore: DatabaseKeyStore
  /** How long one Twilio request may take (default 10 s). */
  twilioTimeoutMs?: number
}

export interface EnqueueInput {
  /** Any spelling libphonenumber-js reads with a country code; stored as E.164. */
  to: string
  /** The text as sent, codes included. */
  body: string
  /** The text as listed in the console: the same, with any code replaced by ••••••. */
  displayText: string
  /** What the message is for (e.g. 'test', 'phone_verification', 'login_code', 'recovery'). */
  kind: string
  /** The person the message is for, if any (the audit event's subject). */
  userId?: number | null
  /** Who caused it (the audit event's actor); defaults to userId. */
  actorId?: number | null
}

function cappedError(capped: (typeof SMS_CAPS)[number]): AppError {
  return new AppError(
    'THROTTLED',
    `No more SMS now: at most ${capped.max} messages are sent ${capped.what}. Try again later, or ask the owner.`,
    { retryAfterSeconds: capped.windowMs / 1000 },
  )
}

const toEntry = (r: SmsOutboxRow): SmsOutboxEntryDto => ({
  id: r.id,
  to: maskPhone(r.to_e164),
  kind: r.kind,
  text: r.display_text,
  status: r.status,
  attempts: r.attempts,
  lastError: r.last_error,
  provider: r.provider,
  providerSid: r.provider_sid,
  createdAt: r.created_at,
  sentAt: r.sent_at,
  nextAttemptAt: r.status === 'queued' ? r.next_attempt_at : null,
})

/**
 * SMS through a durable outbox. `enqueue` writes a message in the caller's transaction; `deliverDue` (the
 * worker step, every ~2 s in the app) claims due messages one at a time under BEGIN IMMEDIATE, sends
 * each, and records the outcome with its audit event in one transaction.
 *
 * Never twice: a message is claimed (status `sending`, a lease) before the request and its SID recorded
 * in the same transaction that marks it sent; a row with a SID is never claimed again. A request whose
 * answer never arrived or was never recorded (a timeout, or the app killed between Twilio's answer and
 * the commit) leaves no SID, and its lease lapses; before such a message is sent again, Twilio's list of
 * messages to that number is asked for one with the same text that no row holds yet (`acceptedEarlier`),
 * and if there is one it is recorded instead of sent. Twilio has no idempotency key for Messages; this
 * lookup is what stands in for one.
 */
export class SmsService {
  private readonly db: Store
  private readonly twilioTimeoutMs: number
  private readonly loop: OutboxLoop<ClaimedSms, SmsSender>
  /** Twilio's auth token: in the keychain, or in the database where no keychain holds it. */
  private readonly token: ProviderSecret

  constructor(private readonly deps: SmsServiceDeps) {
    this.db = deps.db
    this.token = new ProviderSecret({
      db: deps.db,
      keychain: deps.keychain,
      keyStore: deps.keyStore,
      account: `${deps.databaseId}:twilio`,
      setting: TWILIO_TOKEN_SETTING,
      what: 'Twilio auth token',
    })
    this.twilioTimeoutMs = deps.twilioTimeoutMs ?? 10_000
    this.loop = new OutboxLoop({
      claim: () => this.claim(null),
      sender: () => this.currentSender(),
      attempt: (row, sender) => this.attempt(row, sender),
    })
  }

  /** A claim outlives the longest request by a wide margin, so a live worker never loses its message. */
  private get leaseMs(): number {
    return Math.max(60_000, this.twilioTimeoutMs * 3)
  }

  async settings(): Promise<SmsSettings> {
    const raw = await getSetting(this.db, SETTINGS_KEY)
    return raw
      ? { ...DEFAULT_SMS_SETTINGS, ...(JSON.parse(raw) as Partial<SmsSettings>) }
      : DEFAULT_SMS_SETTINGS
  }

  /**
   * Queues one message and audits `sms.queued` (masked number, kind). Call it inside the transaction
   * that decides to send, so the message exists exactly when that change does. Returns its id.
   * Throws THROTTLED past a cap (see SMS_CAPS): callers that send a code check `assertWithinCaps` first,
   * outside their transaction, so the refusal is audited.
   */
  async enqueue(input: EnqueueInput): Promise<number> {
    const to = await parseE164(input.to)
    const write = async (): Promise<number> => {
      const userId = input.userId ?? null
      const capped = await this.capReached(to, userId)
      if (capped) throw cappedError(capped)
      const id = await insertSms(this.db, {
        to,
        body: input.body,
        displayText: input.displayText,
        kind: input.kind,
        userId,
        now: this.deps.clock.now(),
      })
      await this.deps.audit.append({
        type: 'sms.queued',
        actorId: input.actorId === undefined ? userId : input.actorId,
        subjectId: userId,
        data: { messageId: id, to: maskPhone(to), kind: input.kind },
      })
      return id
    }
    return this.db.inTransaction ? write() : this.db.transaction(write)
  }

  /**
   * A notice (a change to the account, a setting that changed): queued like any message, but past a cap
   * it is left out — audited as `sms.capped` — rather than undoing the change it tells of. Null: not queued.
   */
  async enqueueNotice(input: EnqueueInput): Promise<number | null> {
    const to = await parseE164(input.to)
    const capped = await this.capReached(to, input.userId ?? null)
    if (capped) {
      await this.auditCapped(capped, to, input, true)
      return null
    }
    return this.enqueue(input)
  }

  /** Throws THROTTLED (audited as `sms.capped`) when one more message to `to` would pass a cap. */
  async assertWithinCaps(input: Pick<EnqueueInput, 'to' | 'kind' | 'userId' | 'actorId'>): Promise<void> {
    const to = await parseE164(input.to)
    const capped = await this.capReached(to, input.userId ?? null)
    if (!capped) return
    await this.db.transaction(() => this.auditCapped(capped, to, input, false))
    throw cappedError(capped)
  }

  private async capReached(
    to: string,
    userId: number | null,
  ): Promise<(typeof SMS_CAPS)[number] | undefined> {
    const now = this.deps.clock.now()
    const hour = await smsCountsSince(this.db, { to, userId, since: now - 60 * 60_000 })
    const day = await smsCountsSince(this.db, { to, userId, since: now - 24 * 60 * 60_000 })
    return SMS_CAPS.find((c) => (c.windowMs === 60 * 60_000 ? hour : day)[c.scope] >= c.max)
  }

  private async auditCapped(
    capped: (typeof SMS_CAPS)[number],
    to: string,
    input: Pick<EnqueueInput, 'kind' | 'userId' | 'actorId'>,
    skipped: boolean,
  ): Promise<void> {
    const userId = input.userId ?? null
    await this.deps.audit.append({
      type: 'sms.capped',
      actorId: input.actorId === undefined ? userId : input.actorId,
      subjectId: userId,
      data: { to: maskPhone(to), kind: input.kind, cap: capped.cap, max: capped.max, skipped },
    })
  }

  /**
   * The worker step: sends every due message (at most `max`), one claim at a time. Returns what happened.
   * Overlapping calls in one process do not run twice: the second returns at once.
   */
  deliverDue(options: { max?: number } = {}): Promise<DeliveryReport> {
    return this.loop.run(options.max)
  }

  /**
   * The worker's second step: asks Twilio what became of messages it accepted and records it —
   * `delivered`, or still `sent` with the reason it did not arrive (undelivered/failed: the phone is off,
   * the number is gone…). Such a message is never sent again (Twilio accepted it); the reason is shown
   * in the outbox and audited, and the person can ask for a new code.
   */
  async refreshStatuses(options: { max?: number } = {}): Promise<{ checked: number; undelivered: number }> {
    const report = { checked: 0, undelivered: 0 }
    if ((await this.settings()).provider !== 'twilio') return report
    const now = this.deps.clock.now()
    const rows = await smsAwaitingStatus(this.db, {
      since: now - STATUS_CHECK_FOR_MS,
      staleBefore: now - STATUS_CHECK_EVERY_MS,
      limit: options.max ?? 20,
    })
    if (rows.length === 0) return report
    const sender = await this.currentSender()
    for (const row of rows) {
      const status = sender.status ? await sender.status(row.provider_sid!) : null
      const at = this.deps.clock.now()
      if (!status) {
        // Unknown for now: look again after the usual interval.
        await this.db.transaction(() =>
          updateSmsProviderStatus(this.db, {
            id: row.id,
            status: 'sent',
            providerStatus: row.provider_status ?? 'unknown',
            error: null,
            now: at,
          }),
        )
        continue
      }
      report.checked++
      const undelivered =
        (FINAL_PROVIDER_STATUSES as readonly string[]).includes(status.status) &&
        status.status !== 'delivered' &&
        status.status !== 'read'
      await this.db.transaction(async () => {
        const reason = undelivered ? undeliveredReason(status.status, status.errorCode) : null
        const changed = await updateSmsProviderStatus(this.db, {
          id: row.id,
          status: status.status === 'delivered' || status.status === 'read' ? 'delivered' : 'sent',
          providerStatus: status.status,
          error: reason,
          now: at,
        })
        if (changed && undelivered) {
          report.undelivered++
          await this.deps.audit.append({
            type: 'sms.undelivered',
            subjectId: row.user_id,
            data: {
              messageId: row.id,
              to: maskPhone(row.to_e164),
              kind: row.kind,
              providerStatus: status.status,
              twilioError: status.errorCode,
              reason,
            },
          })
        }
      })
    }
    return report
  }

  /** Sends one message now if it is due (the CLI's and the console's "Send a test message"). */
  async deliverNow(id: number): Promise<SmsOutboxEntryDto> {
    const claimed = await this.claim(id)
    if (claimed) await this.attempt(claimed, await this.currentSender())
    return this.entry(id)
  }

  /**
   * Tries a just-queued message at once (a code should not wait for the worker's next round); a failure
   * leaves it in the outbox for the worker. Null: nothing was queued.
   */
  async tryNow(id: number | null): Promise<void> {
    if (id === null) return
    try {
      await this.deliverNow(id)
    } catch {
      // The outbox keeps it; the worker retries.
    }
  }

  /** Queues a test message to `to` and tries to send it right away; the entry says how it went. */
  async sendTest(to: string, actorId: number | null, language: Language = 'en'): Promise<SmsOutboxEntryDto> {
    await this.assertWithinCaps({ to, kind: 'test', actorId })
    const text = messagesIn(language).testSms
    const id = await this.enqueue({
      to,
      body: text,
      displayText: text,
      kind: 'test',
      actorId,
    })
    return this.deliverNow(id)
  }

  async entry(id: number): Promise<SmsOutboxEntryDto> {
    const row = await getSms(this.db, id)
    if (!row) throw new AppError('NOT_FOUND', 'No such message in the outbox.')
    return toEntry(row)
  }

  /** Newest first; masked numbers, and texts without codes. */
  async listOutbox(input: { limit: number; before?: number | undefined }): Promise<SmsOutboxPage> {
    const rows = await listSms(this.db, input.before, input.limit)
    const last = rows.at(-1)
    return {
      messages: rows.map(toEntry),
      nextBefore: rows.length === input.limit && last ? last.id : null,
    }
  }

  async getConfig(): Promise<SmsConfigDto> {
    const s = await this.settings()
    return {
      provider: s.provider,
      accountSid: s.accountSid,
      from: s.from,
      messagingServiceSid: s.messagingServiceSid,
      apiBaseUrl: s.apiBaseUrl,
      authTokenSet: (await this.token.get()) !== null,
      authTokenStore: this.token.store,
    }
  }

  /**
   * Chooses the provider and saves Twilio's settings. The auth token goes to the OS keychain (service
   * "Tessera", account `<databaseId>:twilio`) when the database key is kept there; for a database opened
   * with a passphrase there is no keychain to rely on, so it is kept in the settings table of the database
   * itself, which is encrypted as a whole. Never in the `sms` setting, a log, argv or the audit trail.
   */
  async configure(
    input: SmsConfigureInput,
    actorId: number | null,
    client?: ClientInfo,
  ): Promise<SmsConfigDto> {
    const before = await this.settings()
    // The stored token must never follow the settings to another server or account unless whoever
    // moves them can type it (or the new one) again.
    const moved =
      (input.apiBaseUrl !== undefined && input.apiBaseUrl.replace(/\/+$/, '') !== before.apiBaseUrl) ||
      (input.accountSid !== undefined && before.accountSid !== null && input.accountSid !== before.accountSid)
    if (moved && !input.authToken && (await this.token.get()) !== null) {
      const message =
        'Enter the auth token again to change the API address or the Account SID: the stored token is never sent to a new address or account without it.'
      throw new AppError('VALIDATION', message, { fields: { authToken: message } })
    }
    let next: SmsSettings = { ...before, provider: input.provider }
    if (input.provider === 'twilio') next = await this.twilioSettings(before, input)
    else {
      // Twilio's fields may be corrected while the outbox is in use; they are kept for later.
      next = {
        ...next,
        ...(input.accountSid ? { accountSid: input.accountSid } : {}),
        ...(input.apiBaseUrl ? { apiBaseUrl: input.apiBaseUrl } : {}),
      }
    }
    const token = input.authToken
    if (token) await this.token.putOutside(token)
    await this.db.transaction(async () => {
      await putSetting(this.db, SETTINGS_KEY, JSON.stringify(next))
      if (token) await this.token.putInside(token)
      await this.deps.audit.append({
        type: 'sms.config_updated',
        actorId,
        data: {
          ...client,
          provider: next.provider,
          accountSid: next.accountSid,
          from: next.from,
          messagingServiceSid: next.messagingServiceSid,
          apiBaseUrl: next.apiBaseUrl,
          credentialsReplaced: token !== undefined,
        },
      })
    })
    return this.getConfig()
  }

  private async twilioSettings(before: SmsSettings, input: SmsConfigureInput): Promise<SmsSettings> {
    const invalid = (field: string, message: string): AppError =>
      new AppError('VALIDATION', message, { fields: { [field]: message } })
    if (input.from && input.messagingServiceSid) {
      throw invalid('from', 'Give a From number or a Messaging Service SID, not both.')
    }
    const accountSid = input.accountSid ?? before.accountSid
    if (!accountSid) throw invalid('accountSid', 'Twilio needs the Account SID.')
    const sender =
      input.from || input.messagingServiceSid
        ? {
            from: input.from ? await parseE164(input.from, 'from') : null,
            messagingServiceSid: input.messagingServiceSid ?? null,
          }
        : { from: before.from, messagingServiceSid: before.messagingServiceSid }
    if (!sender.from && !sender.messagingServiceSid) {
      throw invalid('from', 'Twilio needs a From number or a Messaging Service SID.')
    }
    if (!input.authToken && (await this.token.get()) === null) {
      throw invalid('authToken', 'Twilio needs the auth token.')
    }
    return {
      provider: 'twilio',
      accountSid,
      ...sender,
      apiBaseUrl: (input.apiBaseUrl ?? before.apiBaseUrl).replace(/\/+$/, ''),
    }
  }

  /** The stored Twilio token, wherever it is kept: for moving the database to a team database only. */
  storedAuthToken(): Promise<string | null> {
    return this.token.get()
  }

  private async claim(onlyId: number | null): Promise<ClaimedSms | undefined> {
    const now = this.deps.clock.now()
    return this.db.transaction(() => claimDueSms(this.db, now, now + this.leaseMs, onlyId))
  }

  /** The sender for the settings in force now. A Twilio setup without its token fails in a retryable way. */
  private async currentSender(): Promise<SmsSender> {
    const settings = await this.settings()
    let credentials: TwilioCredentials | null = null
    if (settings.provider === 'twilio') {
      const { value: authToken, unreachable } = await this.token.read()
      if (!authToken || !settings.accountSid) {
        return {
          provider: 'twilio',
          send: async () => ({
            kind: 'retryable',
            reason:
              unreachable ?? 'The Twilio auth token is not available (enter it again under Settings → SMS)',
          }),
        }
      }
      credentials = {
        accountSid: settings.accountSid,
        authToken,
        from: settings.from,
        messagingServiceSid: settings.messagingServiceSid,
        apiBaseUrl: settings.apiBaseUrl,
      }
    }
    return credentials
      ? createTwilioSender(credentials, { timeoutMs: this.twilioTimeoutMs })
      : createOutboxSender()
  }

  /**
   * Before a message is sent again, whether the provider took an earlier attempt whose answer never
   * arrived or was never recorded (a timeout, or the app killed between Twilio's answer and the commit):
   * one of its recent messages to the number with the same text whose SID no outbox row holds yet. Found,
   * it is recorded as sent instead of being sent a second time. Throws when the provider cannot be asked;
   * the message then waits for its next attempt, which asks again.
   */
  private async acceptedEarlier(row: ClaimedSms, sender: SmsSender): Promise<SendOutcome | undefined> {
    if (!sender.findAccepted) return undefined
    const candidates = await sender.findAccepted(row.to_e164, row.body)
    const known = await knownSmsSids(
      this.db,
      candidates.map((c) => c.sid),
    )
    const mine = candidates.find((c) => !known.has(c.sid))
    return mine && { kind: 'accepted', sid: mine.sid, status: mine.status }
  }

  /** One send of a claimed message, and its outcome recorded with its audit event in one transaction. */
  private async attempt(row: ClaimedSms, sender: SmsSender): Promise<keyof DeliveryReport> {
    let outcome: SendOutcome
    let recovered = false
    try {
      const earlier = row.triedBefore ? await this.acceptedEarlier(row, sender) : undefined
      recovered = earlier !== undefined
      outcome = earlier ?? (await sender.send({ to: row.to_e164, body: row.body }))
    } catch {
      outcome = row.triedBefore
        ? { kind: 'retryable', reason: 'Twilio cannot be asked whether it took the earlier attempt' }
        : { kind: 'retryable', reason: 'Unexpected error while sending' }
    }
    const now = this.deps.clock.now()
    const to = maskPhone(row.to_e164)
    return this.db.transaction(async (): Promise<keyof DeliveryReport> => {
      if (outcome.kind === 'accepted') {
        const recorded = await markSmsSent(this.db, {
          id: row.id,
          status: outcome.status === 'delivered' ? 'delivered' : 'sent',
          provider: sender.provider,
          sid: outcome.sid,
          providerStatus: outcome.status,
          now,
        })
        if (recorded) {
          await this.deps.audit.append({
            type: 'sms.sent',
            subjectId: row.user_id,
            data: {
              messageId: row.id,
              to,
              kind: row.kind,
              provider: sender.provider,
              sid: outcome.sid,
              ...(recovered ? { foundAfterInterruption: true } : {}),
            },
          })
        }
        return 'sent'
      }
      const { givingUp, reason, retryAt } = afterFailure(outcome, row.attempts, now)
      await markSmsAttemptFailed(this.db, {
        id: row.id,
        provider: sender.provider,
        error: reason,
        retryAt,
        now,
      })
      if (!givingUp) return 'retrying'
      await this.deps.audit.append({
        type: 'sms.failed',
        subjectId: row.user_id,
        data: {
          messageId: row.id,
          to,
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
