import type { z } from 'zod'
import { channelOf, methodNames, type Method } from './methods'
import {
  activateInputSchema,
  auditListInputSchema,
  changeRoleInputSchema,
  createUserInputSchema,
  importBeginInputSchema,
  importNextInputSchema,
  listUsersInputSchema,
  setDisabledInputSchema,
  setRequireTwoFactorInputSchema,
  userIdInputSchema,
  databaseUnlockInputSchema,
  joinTeamInputSchema,
  emptyInputSchema,
  changesNextInputSchema,
  lockInputSchema,
  loginInputSchema,
  policyUpdateSchema,
  confirmEnrollmentInputSchema,
  disableTwoFactorInputSchema,
  regenerateBackupCodesInputSchema,
  secondFactorSchema,
  setupInputSchema,
  smsConfigureInputSchema,
  phoneStartInputSchema,
  phoneVerifyInputSchema,
  smsOutboxInputSchema,
  smsSendTestInputSchema,
  startEnrollmentInputSchema,
  unlockInputSchema,
  accessCodeInputSchema,
  recoveryApproveInputSchema,
  recoveryCheckInputSchema,
  recoveryDenyInputSchema,
  recoveryIdInputSchema,
  recoveryListInputSchema,
  recoveryRequestInputSchema,
} from './schemas'
import type { Capability } from './access'
import type {
  ChangesDto,
  AuditPage,
  BackupCodesDto,
  DashboardDto,
  ImportBeginDto,
  ImportProgressDto,
  InvitationDto,
  UserDetailDto,
  UserPageDto,
  EnrollmentStartDto,
  SecondFactorResultDto,
  TwoFactorStatusDto,
  AuditVerification,
  DatabaseStatus,
  Policy,
  SessionState,
  SessionUser,
  SmsConfigDto,
  SmsOutboxEntryDto,
  SmsOutboxPage,
  PhoneStatusDto,
  SmsCodeSentDto,
  SmsRecoveryDto,
  AccessCodeIssuedDto,
  AccessCodeLoginDto,
  RecoveryFiledDto,
  RecoveryRequestDetailDto,
  RecoveryRequestPage,
  ResetTwoFactorDto,
} from './dto'

/**
 * Who may call a method:
 * - 'anyone': no session needed (first run, login, unlocking a locked session)
 * - a capability (shared/access.ts): a signed-in, unlocked session whose role has it. Which person a
 *   call may act on (rank, owners, two approvers) is checked by the core, with the same module.
 */
export type Access = 'anyone' | Capability

/** Login stages a role-gated method may run in; by default only a complete login ('full'). */
export type Stage = 'second-factor' | 'enroll' | 'full'

export interface MethodSpec<I extends z.ZodType, O> {
  input: I
  access: Access
  stages?: readonly Stage[]
  /** Phantom: carries the output type; never read at run time. */
  output?: O
}

const method = <O>() => {
  return <I extends z.ZodType>(input: I, access: Access, stages?: readonly Stage[]): MethodSpec<I, O> =>
    stages ? { input, access, stages } : { input, access }
}

const everyone = 'own-account'
const managers = 'users.manage'
const readers = 'users.read'
/** Enrollment is what a person who must enroll first is allowed to do. */
const enrolling = ['full', 'enroll'] as const

/**
 * The contract between the renderer (and the CLI) and main. Adding a method here without a schema and
 * an access rule does not compile, and main's handler map must implement every key (see ipc/handlers).
 */
export const api = {
  'session.state': method<SessionState>()(emptyInputSchema, 'anyone'),
  'session.touch': method<SessionState>()(emptyInputSchema, 'anyone'),
  /**
   * A long poll for other consoles' changes. Open to anyone: it names areas only, never data, and must not
   * count as activity (a waiting screen would otherwise never lock when idle).
   */
  'changes.next': method<ChangesDto>()(changesNextInputSchema, 'anyone'),
  'setup.createOwner': method<SessionUser>()(setupInputSchema, 'anyone'),
  'database.unlock': method<SessionState>()(databaseUnlockInputSchema, 'anyone'),
  /** First run on a console that joins an existing team database (PostgreSQL). */
  'setup.joinTeam': method<SessionState>()(joinTeamInputSchema, 'anyone'),
  'auth.login': method<SessionUser>()(loginInputSchema, 'anyone'),
  'auth.unlock': method<SessionUser>()(unlockInputSchema, 'anyone'),
  'auth.lock': method<SessionState>()(lockInputSchema, everyone),
  'auth.logout': method<SessionState>()(emptyInputSchema, 'anyone'),
  'auth.verifySecondFactor': method<SecondFactorResultDto>()(secondFactorSchema, 'anyone'),
  /** "I lost my device", after the password: a login code to the verified emergency phone. */
  'auth.sendSmsCode': method<SmsCodeSentDto>()(emptyInputSchema, 'anyone'),
  /** The SMS login code: the old authenticator is revoked and the session may only enroll a new one. */
  'auth.verifySmsCode': method<SmsRecoveryDto>()(phoneVerifyInputSchema, 'anyone'),
  /** "Ask support for help", after the password: files a recovery request for the support queue. */
  'auth.requestRecovery': method<RecoveryFiledDto>()(recoveryRequestInputSchema, 'anyone'),
  /** A temporary access code from support: like the SMS code, the session may only enroll a new device. */
  'auth.verifyAccessCode': method<AccessCodeLoginDto>()(accessCodeInputSchema, 'anyone'),
  'twoFactor.status': method<TwoFactorStatusDto>()(emptyInputSchema, everyone, enrolling),
  'twoFactor.startEnrollment': method<EnrollmentStartDto>()(startEnrollmentInputSchema, everyone, enrolling),
  'twoFactor.confirmEnrollment': method<BackupCodesDto>()(confirmEnrollmentInputSchema, everyone, enrolling),
  'twoFactor.abandonEnrollment': method<TwoFactorStatusDto>()(emptyInputSchema, everyone, enrolling),
  'twoFactor.regenerateBackupCodes': method<BackupCodesDto>()(regenerateBackupCodesInputSchema, everyone),
  'twoFactor.disable': method<TwoFactorStatusDto>()(disableTwoFactorInputSchema, everyone),
  /** The emergency phone (masked), or null. */
  'phone.status': method<PhoneStatusDto | null>()(emptyInputSchema, everyone, enrolling),
  /** Sends a verification code to a new number (password; an app code to change a verified one). */
  'phone.start': method<SmsCodeSentDto>()(phoneStartInputSchema, everyone, enrolling),
  'phone.verify': method<PhoneStatusDto>()(phoneVerifyInputSchema, everyone, enrolling),
  'auth.activate': method<SessionUser>()(activateInputSchema, 'anyone'),
  'users.list': method<UserPageDto>()(listUsersInputSchema, readers),
  'users.get': method<UserDetailDto>()(userIdInputSchema, readers),
  'users.create': method<InvitationDto>()(createUserInputSchema, managers),
  'users.resendInvitation': method<InvitationDto>()(userIdInputSchema, managers),
  'users.setRequireTwoFactor': method<UserDetailDto>()(setRequireTwoFactorInputSchema, managers),
  /** For an admin or owner with 2FA on: files a recovery request that two approvers must approve. */
  'users.resetTwoFactor': method<ResetTwoFactorDto>()(userIdInputSchema, managers),
  'users.unlock': method<UserDetailDto>()(userIdInputSchema, managers),
  'users.setDisabled': method<UserDetailDto>()(setDisabledInputSchema, managers),
  'users.changeRole': method<UserDetailDto>()(changeRoleInputSchema, managers),
  'users.delete': method<{ deleted: true }>()(userIdInputSchema, managers),
  'users.importBegin': method<ImportBeginDto>()(importBeginInputSchema, managers),
  'users.importNext': method<ImportProgressDto>()(importNextInputSchema, managers),
  /** Every user as CSV, without secrets. */
  'users.export': method<{ csv: string }>()(emptyInputSchema, managers),
  'dashboard.get': method<DashboardDto>()(emptyInputSchema, readers),
  'policy.get': method<Policy>()(emptyInputSchema, everyone),
  /** The protective fields (recovery, lockout, idle lock, session lifetime) are owner-only. */
  'policy.update': method<Policy>()(policyUpdateSchema, 'policy.change'),
  'audit.list': method<AuditPage>()(auditListInputSchema, 'settings.read'),
  'audit.verify': method<AuditVerification>()(emptyInputSchema, 'settings.read'),
  'database.status': method<DatabaseStatus>()(emptyInputSchema, 'settings.read'),
  /** Settings → SMS: never the auth token, only whether one is kept. */
  'sms.getConfig': method<SmsConfigDto>()(emptyInputSchema, 'settings.read'),
  /** Owner-only: where SMS (and Twilio's token) go protects everyone. */
  'sms.configure': method<SmsConfigDto>()(smsConfigureInputSchema, 'settings.protective'),
  /** Queues a test message and tries it at once; the entry says whether it went. */
  'sms.sendTest': method<SmsOutboxEntryDto>()(smsSendTestInputSchema, 'settings.protective'),
  /** Settings → SMS outbox: masked numbers, codes hidden. */
  'sms.outbox': method<SmsOutboxPage>()(smsOutboxInputSchema, 'settings.read'),
  /**
   * The Recovery queue: support agents, admins and owners; nobody works a request about themselves or
   * above their rank (an owner's only by owners).
   */
  'recovery.list': method<RecoveryRequestPage>()(recoveryListInputSchema, 'recovery.work'),
  'recovery.get': method<RecoveryRequestDetailDto>()(recoveryIdInputSchema, 'recovery.work'),
  /** Records identity checks and/or a note; the first one moves an open request to verifying. */
  'recovery.check': method<RecoveryRequestDetailDto>()(recoveryCheckInputSchema, 'recovery.work'),
  /** One approval; admin and owner accounts need a second, independent one of their rank. */
  'recovery.approve': method<RecoveryRequestDetailDto>()(recoveryApproveInputSchema, 'recovery.work'),
  'recovery.deny': method<RecoveryRequestDetailDto>()(recoveryDenyInputSchema, 'recovery.work'),
  /** After the cooling-off period: the code goes by SMS to the verified phone, or is shown here once. */
  'recovery.issueCode': method<AccessCodeIssuedDto>()(recoveryIdInputSchema, 'recovery.work'),
} as const satisfies { [M in Method]: MethodSpec<z.ZodType, unknown> }

export type Api = typeof api
export type Input<M extends Method> = z.input<Api[M]['input']>
export type ParsedInput<M extends Method> = z.output<Api[M]['input']>
export type Output<M extends Method> = Api[M] extends MethodSpec<z.ZodType, infer O> ? O : never

export { channelOf, methodNames, type Method }
