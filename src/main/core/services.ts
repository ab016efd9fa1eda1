import type { DatabaseStatus } from '../../shared/dto'
import type { Clock } from '../adapters/clock'
import type { Db } from '../db/connection'
import type { OpenedDatabase } from '../db/open'
import { countUsers } from '../db/queries/users'
import { AuditLog } from './audit'
import { AuthService } from './auth'
import { PasswordHasher, type PasswordPolicy } from './passwords'
import { PolicyService } from './policy'
import { TwoFactorService } from './two-factor'
import { UserImportService } from './user-import'
import { UserAdminService } from './users'

/** The domain services over one open database: what both the desktop app and the CLI run. */
export interface Services {
  db: Db
  opened: OpenedDatabase
  audit: AuditLog
  policy: PolicyService
  auth: AuthService
  twoFactor: TwoFactorService
  users: UserAdminService
  /** CSV import (pending imports live here, in memory, as long as the database is open) and export. */
  userImport: UserImportService
  status(): DatabaseStatus
  close(): void
}

export interface ServiceDeps {
  clock: Clock
  passwordPolicy: PasswordPolicy
  hasher?: PasswordHasher
}

export function buildServices(opened: OpenedDatabase, deps: ServiceDeps): Services {
  const { db } = opened
  const audit = new AuditLog(db, deps.clock)
  const policy = new PolicyService(db, audit)
  const hasher = deps.hasher ?? new PasswordHasher()
  const auth = new AuthService({
    db,
    clock: deps.clock,
    audit,
    hasher,
    passwordPolicy: deps.passwordPolicy,
    policy,
  })
  const twoFactor = new TwoFactorService({ db, clock: deps.clock, audit, policy })
  const users = new UserAdminService({
    db,
    clock: deps.clock,
    audit,
    policy,
    hasher,
    passwordPolicy: deps.passwordPolicy,
    twoFactor,
  })
  const userImport = new UserImportService({ db, clock: deps.clock, audit, policy })
  return {
    db,
    opened,
    audit,
    policy,
    auth,
    twoFactor,
    users,
    userImport,
    status: () => ({
      path: opened.path,
      schemaVersion: db.pragma('user_version', { simple: true }) as number,
      keyStore: opened.keyInfo.keyStore,
      cipher: `${String(db.pragma('cipher', { simple: true }))} (SQLCipher 4 format, legacy=${String(db.pragma('legacy', { simple: true }))})`,
      userCount: countUsers(db),
      auditEventCount: audit.count(),
      auditHeadHash: audit.headHash(),
    }),
    close: () => db.close(),
  }
}
