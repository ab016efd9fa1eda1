import type { DatabaseStatus } from '../../shared/dto'
import type { Clock } from '../adapters/clock'
import { KeychainUnavailableError, type Keychain } from '../adapters/keychain'
import type { OpenedDatabase } from '../db/open'
import { countUsers } from '../db/queries/users'
import type { FileCheck, Store } from '../db/store'
import { AuditLog } from './audit'
import { AuditAnchorService } from './audit-anchor'
import { AuthService } from './auth'
import { PasswordHasher, type PasswordPolicy } from './passwords'
import { PhoneService } from './phones'
import { PolicyService } from './policy'
import { PreferencesService } from './preferences'
import { RecoveryService } from './recovery'
import { SettingsService } from './settings'
import { SmsService } from './sms-service'
import { EmailService } from './email-service'
import { NoticeService } from './notices'
import { PasswordService } from './password-service'
import { TwoFactorService } from './two-factor'
import { UserImportService } from './user-import'
import { BulkActionService } from './bulk'
import { UserAdminService } from './users'

/** The domain services over one open database: what both the desktop app and the CLI run. */
export interface Services {
  db: Store
  opened: OpenedDatabase
  audit: AuditLog
  /** Anchoring the audit trail outside the database, and checking the log against an anchor. */
  auditAnchors: AuditAnchorService
  policy: PolicyService
  /** A person's own language and theme. */
  preferences: PreferencesService
  auth: AuthService
  twoFactor: TwoFactorService
  users: UserAdminService
  /** CSV import (pending imports live here, in memory, as long as the database is open) and export. */
  userImport: UserImportService
  bulk: BulkActionService
  /** The SMS outbox, its worker step and Settings → SMS. */
  sms: SmsService
  /** The email outbox, its worker step and Settings → Email. */
  email: EmailService
  /** Security notices to people, by email and/or SMS as the policy says. */
  notices: NoticeService
  /** Changing, forgetting and resetting passwords. */
  passwords: PasswordService
  /** The emergency phone and the "I lost my device" SMS login. */
  phones: PhoneService
  /** The support Recovery queue and temporary access codes. */
  recovery: RecoveryService
  /** The policy and the SMS provider: who may change what, and telling the owners. */
  settings: SettingsService
  status(): Promise<DatabaseStatus>
  /** The engine's own checks: ['ok'] when sound; rows whose foreign key points at nothing. */
  checkFile(): Promise<FileCheck>
  /** Whether `typed` is the database's key (hex) or passphrase: the CLI's key-holder mode asks for it. */
  holdsDatabaseKey(typed: string): Promise<boolean>
  close(): Promise<void>
}

export interface ServiceDeps {
  clock: Clock
  passwordPolicy: PasswordPolicy
  hasher?: PasswordHasher
  /** The OS keychain (Twilio's auth token lives there for a keychain-protected database). */
  keychain?: Keychain
  /** How long one Twilio request may take (default 10 s). */
  twilioTimeoutMs?: number
  /** How long one SMTP exchange may take (default 10 s). */
  smtpTimeoutMs?: number
  /** Certificates to trust for SMTP besides the system's (PEM). */
  smtpCa?: string
}

const noKeychain: Keychain = {
  get: () => Promise.reject(new KeychainUnavailableError('no keychain was given')),
  set: () => Promise.reject(new KeychainUnavailableError('no keychain was given')),
  delete: () => Promise.reject(new KeychainUnavailableError('no keychain was given')),
}

export function buildServices(opened: OpenedDatabase, deps: ServiceDeps): Services {
  const { db } = opened
  const audit = new AuditLog(db, deps.clock, opened.chainFile ? { chainFile: opened.chainFile } : {})
  const policy = new PolicyService(db, audit)
  const hasher = deps.hasher ?? new PasswordHasher()
  const sms = new SmsService({
    db,
    clock: deps.clock,
    audit,
    keychain: deps.keychain ?? noKeychain,
    databaseId: opened.databaseId,
    keyStore: opened.keyStore,
    ...(deps.twilioTimeoutMs ? { twilioTimeoutMs: deps.twilioTimeoutMs } : {}),
  })
  const email = new EmailService({
    db,
    clock: deps.clock,
    audit,
    keychain: deps.keychain ?? noKeychain,
    databaseId: opened.databaseId,
    keyStore: opened.keyStore,
    ...(deps.smtpTimeoutMs ? { smtpTimeoutMs: deps.smtpTimeoutMs } : {}),
    ...(deps.smtpCa ? { smtpCa: deps.smtpCa } : {}),
  })
  const notices = new NoticeService({ db, policy, email, sms })
  const twoFactor = new TwoFactorService({ db, clock: deps.clock, audit, policy, notices })
  const auth = new AuthService({
    db,
    clock: deps.clock,
    audit,
    hasher,
    passwordPolicy: deps.passwordPolicy,
    policy,
    twoFactor,
    notices,
  })
  const userImport = new UserImportService({
    db,
    clock: deps.clock,
    audit,
    policy,
    // A bulk re-send's held codes share the import's tables; a running one is not "interrupted".
    busy: (runId) => bulk.isRunning(runId),
  })
  const phones = new PhoneService({ db, clock: deps.clock, audit, policy, auth, twoFactor, sms, notices })
  const recovery = new RecoveryService({ db, clock: deps.clock, audit, policy, sms, twoFactor, notices })
  const passwords = new PasswordService({
    db,
    clock: deps.clock,
    audit,
    hasher,
    passwordPolicy: deps.passwordPolicy,
    policy,
    auth,
    twoFactor,
    email,
    notices,
    recovery,
  })
  recovery.issuePasswordReset = (subject, agentId, client) => passwords.issue(subject, agentId, client)
  const users = new UserAdminService({
    db,
    clock: deps.clock,
    audit,
    policy,
    hasher,
    passwordPolicy: deps.passwordPolicy,
    twoFactor,
    recovery,
    email,
  })
  const bulk = new BulkActionService({ db, clock: deps.clock, audit, users, twoFactor })
  const settings = new SettingsService({ db, policy, sms, email, notices })
  const auditAnchors = new AuditAnchorService({
    db,
    clock: deps.clock,
    audit,
    notices,
    databaseId: opened.databaseId,
  })
  return {
    db,
    opened,
    audit,
    auditAnchors,
    policy,
    preferences: new PreferencesService(db, deps.clock),
    auth,
    twoFactor,
    users,
    userImport,
    bulk,
    sms,
    email,
    notices,
    passwords,
    phones,
    recovery,
    settings,
    status: async () => ({
      engine: db.engine.name,
      path: opened.location,
      schemaVersion: await db.engine.schemaVersion(),
      keyStore: opened.keyStore,
      cipher: await db.engine.describe(),
      userCount: await countUsers(db),
      auditEventCount: await audit.count(),
      auditHeadHash: await audit.headHash(),
    }),
    checkFile: () => db.engine.check(),
    holdsDatabaseKey: (typed) => opened.isKey(typed),
    close: () => db.close(),
  }
}
