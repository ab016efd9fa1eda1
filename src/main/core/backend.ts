import { existsSync } from 'node:fs'
import type { SessionUser } from '../../shared/dto'
import { AppError } from '../../shared/result'
import type { SetupInput } from '../../shared/schemas'
import type { Clock } from '../adapters/clock'
import { keychainAvailable, type Keychain } from '../adapters/keychain'
import type { ConnectionOptions } from '../db/connection'
import { DatabaseOpenError } from '../db/errors'
import { readKeyInfo, type KdfParams } from '../db/keyinfo'
import { createDatabase, openDatabase } from '../db/open'
import { createTeamDatabase, openTeamDatabase } from '../db/postgres/open'
import { rememberTeamUrl, rememberedTeamUrl, teamOpened } from './team'
import type { ClientInfo } from './client'
import type { PasswordHasher, PasswordPolicy } from './passwords'
import { buildServices, type Services } from './services'
import { DEFAULT_POLICY } from './policy'
import { ChangeFeed } from './changes'
import { SessionManager, type Session } from './sessions'
import { silentNotifier, type Notifier } from '../adapters/notifier'
import { AgentAlerts, type ConsoleAgent } from './agent-alerts'
import { recipientLanguage } from './messages'

export interface BackendOptions {
  dbPath: string
  keychain: Keychain
  clock: Clock
  passwordPolicy: PasswordPolicy
  client: ClientInfo
  connection?: ConnectionOptions
  /** A passphrase given in the environment (TESSERA_DB_PASSPHRASE); otherwise the console asks for it. */
  envPassphrase?: string
  /** How often the SMS worker looks for due messages (default 2 s); 0 turns it off (tests that step it). */
  smsWorkerIntervalMs?: number
  /** How long one Twilio request may take (default 10 s). */
  twilioTimeoutMs?: number
  /** How long one SMTP exchange may take (default 10 s). */
  smtpTimeoutMs?: number
  /** Certificates to trust for SMTP besides the system's (PEM; TESSERA_SMTP_CA_FILE). */
  smtpCa?: string
  /** Where the SMS worker reports unexpected errors (main's log). */
  logError?: (what: string, error: unknown) => void
  /** Lighter Argon2id for the database key, for tests only. */
  kdf?: Partial<Omit<KdfParams, 'salt' | 'algorithm'>>
  /**
   * A team database (PostgreSQL) to use instead of the file (TESSERA_DATABASE_URL). Without it, a console
   * that joined or created one remembers its address in the keychain (see `teamMarkerPath`).
   */
  databaseUrl?: string
  /** The team passphrase given in the environment (TESSERA_TEAM_PASSPHRASE). */
  envTeamPassphrase?: string
  /** Connections to the team database this console keeps at most (default 10). */
  poolSize?: number
  /** OS notifications for the people signed in here (new recovery requests, lockouts); none by default. */
  notifier?: Notifier
  /** Argon2id for people's passwords (the benchmark wraps it to time each check apart). */
  hasher?: PasswordHasher
}

type State =
  | { kind: 'needs-setup' }
  | { kind: 'needs-db-passphrase' }
  | { kind: 'db-error'; error: DatabaseOpenError }
  | { kind: 'open'; services: Services }

/**
 * The desktop console's main-side state: whether the database exists, waits for its passphrase, failed
 * to open, or is open with its services; and who is signed in on each client. The Electron main
 * process and the browser tests build exactly this and reach it through the same IPC gate.
 */
export class Backend {
  private state: State = { kind: 'needs-setup' }
  private smsWorker: NodeJS.Timeout | undefined
  private alerts: AgentAlerts | undefined
  readonly sessions: SessionManager

  constructor(readonly options: BackendOptions) {
    this.sessions = new SessionManager(options.clock, () =>
      this.state.kind === 'open' ? this.state.services.policy.get() : DEFAULT_POLICY,
    )
  }

  /**
   * The client's session as it stands now: past its lifetime it is gone; a deleted, disabled or
   * demoted person's session follows the database (whoever changed it: this console, another, the CLI);
   * idle too long, it is locked. Each of those moments is recorded once, and leaves nothing of a
   * half-done enrollment behind.
   */
  async sessionOf(clientId: string): Promise<Session | undefined> {
    // The person's facts and the policy's limits come in one query, before the time rules run.
    const userId = this.sessions.userOf(clientId)
    const read =
      this.state.kind === 'open' && userId !== undefined
        ? await this.state.services.auth.sessionFactsAndPolicy(userId)
        : undefined
    const { session, idleLocked, expired } = await this.sessions.current(clientId, read?.policy)
    if (this.state.kind !== 'open') return session
    const { audit, auth, twoFactor } = this.state.services
    const client = this.options.client
    const end = async (userId: number, type: string, data: object) => {
      await twoFactor.abandonEnrollment(userId, client)
      await audit.append({ type, actorId: userId, subjectId: userId, data: { ...client, ...data } })
    }
    if (expired) {
      await end(expired.user.id, 'session.expired', {
        signedInAt: new Date(expired.signedInAt).toISOString(),
      })
      return undefined
    }
    if (!session) return undefined
    // Read again only if the client's session changed hands while the first read was under way.
    const now =
      read && read.person.user.id === session.user.id
        ? read.person
        : (await auth.sessionFactsAndPolicy(session.user.id))?.person
    if (!this.sessions.follow(clientId, now)) {
      if (now) {
        const reason = now.status === 'active' ? 'password_changed' : now.status
        await end(session.user.id, 'session.ended', { reason })
      }
      return undefined
    }
    if (idleLocked) await end(session.user.id, 'session.locked', { reason: 'idle' })
    return session
  }

  get client(): ClientInfo {
    return this.options.client
  }

  get phase(): State['kind'] {
    return this.state.kind
  }

  get error(): DatabaseOpenError | undefined {
    return this.state.kind === 'db-error' ? this.state.error : undefined
  }

  async start(): Promise<void> {
    const { dbPath, envPassphrase } = this.options
    this.teamUrl = this.options.databaseUrl ?? (await rememberedTeamUrl(this.options.keychain, dbPath))
    if (this.teamUrl) {
      await this.openTeam(this.options.envTeamPassphrase)
      return
    }
    if (!existsSync(dbPath)) {
      this.state = { kind: 'needs-setup' }
      return
    }
    try {
      const info = readKeyInfo(dbPath)
      if (info.keyStore === 'passphrase' && !envPassphrase) {
        this.state = { kind: 'needs-db-passphrase' }
        return
      }
      await this.open(envPassphrase)
    } catch (e) {
      if (e instanceof DatabaseOpenError) this.state = { kind: 'db-error', error: e }
      else throw e
    }
  }

  keychainAvailable(): Promise<boolean> {
    return keychainAvailable(this.options.keychain)
  }

  /** The open database's services; a clear error while it is not open. */
  services(): Services {
    if (this.state.kind === 'open') return this.state.services
    if (this.state.kind === 'db-error') throw this.state.error
    throw new AppError(
      'DATABASE',
      this.state.kind === 'needs-setup'
        ? 'Tessera is not set up yet.'
        : 'The database is waiting for its passphrase.',
    )
  }

  /** Opens a passphrase-protected database. A wrong passphrase leaves the console waiting for another. */
  async unlockDatabase(passphrase: string): Promise<void> {
    if (this.state.kind !== 'needs-db-passphrase') {
      throw new AppError('CONFLICT', 'The database is not waiting for a passphrase.')
    }
    if (this.teamUrl) await this.openTeam(passphrase, { throwOnError: true })
    else await this.open(passphrase)
  }

  private lastOpenAttempt: number | undefined

  /**
   * A team database that could not be reached at start (or went away) is tried again, at most every
   * 2 s, whenever the console asks how things stand: the screen says it is waiting, and opens by itself
   * once the server is back.
   */
  async retryIfUnreachable(): Promise<void> {
    if (this.state.kind !== 'db-error' || !this.teamUrl) return
    const now = this.options.clock.now()
    if (this.lastOpenAttempt !== undefined && now - this.lastOpenAttempt < 2000) return
    this.lastOpenAttempt = now
    await this.openTeam(this.options.envTeamPassphrase)
  }

  /** Whether this console works on a team database (PostgreSQL) rather than a file. */
  get team(): boolean {
    return this.teamUrl !== undefined
  }

  /**
   * Opens the team database: with this machine's keychain copy of the team key, or `passphrase`. An empty
   * database waits for setup; a missing key waits for the passphrase; an unreachable server is an error
   * the console shows (and retries from).
   */
  private async openTeam(passphrase: string | undefined, o: { throwOnError?: boolean } = {}): Promise<void> {
    const url = this.teamUrl!
    try {
      const opened = await openTeamDatabase(
        url,
        { keychain: this.options.keychain, passphrase: () => passphrase, remember: true },
        { max: this.options.poolSize ?? 10 },
      )
      this.state = { kind: 'open', services: this.build(teamOpened(opened)) }
      this.startSmsWorker()
      await this.listen(this.state.services)
    } catch (e) {
      if (!(e instanceof DatabaseOpenError)) throw e
      if (o.throwOnError && e.reason === 'WRONG_KEY') throw e
      if (e.reason === 'NOT_FOUND') this.state = { kind: 'needs-setup' }
      else if (e.reason === 'TEAM_KEY_REQUIRED') this.state = { kind: 'needs-db-passphrase' }
      else if (o.throwOnError) throw e
      else this.state = { kind: 'db-error', error: e }
    }
  }

  /** A console's first run on a team database someone already created: its address and passphrase. */
  async joinTeam(databaseUrl: string, passphrase: string): Promise<void> {
    if (this.state.kind !== 'needs-setup' || existsSync(this.options.dbPath)) {
      throw new AppError('CONFLICT', 'Tessera is already set up on this machine.')
    }
    const opened = await openTeamDatabase(
      databaseUrl,
      { keychain: this.options.keychain, passphrase: () => passphrase, remember: true },
      { max: this.options.poolSize ?? 10 },
    )
    await rememberTeamUrl(this.options.keychain, this.options.dbPath, databaseUrl)
    this.teamUrl = databaseUrl
    this.state = { kind: 'open', services: this.build(teamOpened(opened)) }
    this.startSmsWorker()
    await this.listen(this.state.services)
  }

  private async open(passphrase: string | undefined): Promise<void> {
    const opened = await openDatabase(
      this.options.dbPath,
      { keychain: this.options.keychain, passphrase: () => passphrase },
      this.options.connection,
    )
    this.state = { kind: 'open', services: this.build(opened) }
    this.startSmsWorker()
  }

  private teamUrl: string | undefined
  /** Changes other consoles make to a team database, heard through LISTEN/NOTIFY. */
  readonly changes = new ChangeFeed()
  private stopListening: (() => Promise<void>) | undefined

  /** Starts hearing other consoles' changes (a team database); nothing to hear on the file. */
  private async listen(services: Services): Promise<void> {
    const listen = services.db.engine.listen
    if (!listen) return
    try {
      this.stopListening = await listen((area) => this.changes.record(area))
      this.changes.live = true
    } catch (e) {
      // Without live updates the screens still refresh as people use them.
      ;(this.options.logError ?? console.error)('change listener', e)
    }
  }

  private build(opened: Parameters<typeof buildServices>[0]): Services {
    return buildServices(opened, {
      clock: this.options.clock,
      passwordPolicy: this.options.passwordPolicy,
      keychain: this.options.keychain,
      ...(this.options.hasher ? { hasher: this.options.hasher } : {}),
      ...(this.options.twilioTimeoutMs ? { twilioTimeoutMs: this.options.twilioTimeoutMs } : {}),
      ...(this.options.smtpTimeoutMs ? { smtpTimeoutMs: this.options.smtpTimeoutMs } : {}),
      ...(this.options.smtpCa ? { smtpCa: this.options.smtpCa } : {}),
    })
  }

  /**
   * Sends what waits in the SMS and email outboxes while the database is open: a step every ~2 s (a step
   * still running makes the next one a no-op). Unref'd, so it never keeps the process alive.
   */
  private startSmsWorker(): void {
    // A database just opened: alerts start from its audit trail as it stands now.
    if (this.state.kind === 'open' && !this.alerts) {
      this.alerts = new AgentAlerts({
        db: this.state.services.db,
        clock: this.options.clock,
        notifier: this.options.notifier ?? silentNotifier,
        agents: () => this.consoleAgents(),
      })
      void this.alerts.check().catch((e: unknown) => (this.options.logError ?? console.error)('alerts', e))
    }
    const interval = this.options.smsWorkerIntervalMs ?? 2000
    if (interval <= 0 || this.smsWorker || this.state.kind !== 'open') return
    const { sms, email } = this.state.services
    const report = (what: string) => (e: unknown) => {
      if (this.state.kind === 'open') (this.options.logError ?? console.error)(what, e)
    }
    this.smsWorker = setInterval(() => {
      sms
        .deliverDue()
        .then(() => sms.refreshStatuses())
        .catch(report('sms worker'))
      email.deliverDue().catch(report('email worker'))
      this.alerts?.check().catch(report('alerts'))
    }, interval)
    this.smsWorker.unref()
  }

  private stopSmsWorker(): void {
    clearInterval(this.smsWorker)
    this.smsWorker = undefined
  }

  /**
   * Tells the people signed in here about recovery requests filed and accounts locked since the last look
   * (the worker looks every tick; tests that step the worker call this).
   */
  async checkAlerts(): Promise<void> {
    await this.alerts?.check()
  }

  /** The complete sign-ins on this console, with each person's role and status as the database has them. */
  private async consoleAgents(): Promise<ConsoleAgent[]> {
    if (this.state.kind !== 'open') return []
    const { auth, policy, preferences } = this.state.services
    const agents: ConsoleAgent[] = []
    for (const { session } of this.sessions.signedIn()) {
      const now = (await auth.sessionFactsAndPolicy(session.user.id))?.person
      if (!now || now.status !== 'active') continue
      const language = await recipientLanguage(policy, await preferences.get(now.user.id))
      agents.push({ id: now.user.id, role: now.user.role, locked: session.locked, language })
    }
    return agents
  }

  /** First run: creates the database and its owner together; on any failure neither exists. */
  async setup(input: SetupInput): Promise<SessionUser> {
    if (this.state.kind !== 'needs-setup' || existsSync(this.options.dbPath)) {
      throw new AppError('CONFLICT', 'Tessera is already set up on this machine.')
    }
    this.options.passwordPolicy.check(input.password, input, { passwordAlone: true })
    let owner: SessionUser | undefined
    let services: Services | undefined
    const teamUrl = input.databaseUrl ?? this.teamUrl
    if (teamUrl) {
      const created = await createTeamDatabase(teamUrl, {
        passphrase: input.passphrase!,
        keychain: this.options.keychain,
        remember: true,
        max: this.options.poolSize ?? 10,
        ...(this.options.kdf ? { kdf: this.options.kdf } : {}),
        initialize: async (opened) => {
          services = this.build(teamOpened(opened))
          owner = await services.auth.createOwner(input, this.options.client)
        },
      })
      if (!this.options.databaseUrl)
        await rememberTeamUrl(this.options.keychain, this.options.dbPath, teamUrl)
      this.teamUrl = teamUrl
      this.state = { kind: 'open', services: services ?? this.build(teamOpened(created)) }
      this.startSmsWorker()
      await this.listen(this.state.services)
      return owner!
    }
    await createDatabase(this.options.dbPath, {
      keyStore: input.keyStore,
      keychain: this.options.keychain,
      ...(input.passphrase ? { passphrase: input.passphrase } : {}),
      ...(this.options.kdf ? { kdf: this.options.kdf } : {}),
      ...this.options.connection,
      initialize: async (opened) => {
        services = this.build(opened)
        owner = await services.auth.createOwner(input, this.options.client)
      },
    })
    this.state = { kind: 'open', services: services! }
    this.startSmsWorker()
    return owner!
  }

  async close(): Promise<void> {
    this.stopSmsWorker()
    this.alerts = undefined
    await this.stopListening?.()
    this.stopListening = undefined
    this.changes.live = false
    this.changes.wake()
    this.sessions.signOutAll()
    const closing = this.state.kind === 'open' ? this.state.services.close() : undefined
    this.state = { kind: 'needs-setup' }
    await closing
  }
}
