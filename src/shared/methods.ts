/**
 * The names of the contract's methods, without their schemas, so the preload can build `window.api`
 * without bundling zod. `api.ts` must define exactly these (a missing or extra one does not compile).
 */
export const methodNames = [
  'session.state',
  'session.touch',
  'setup.createOwner',
  'database.unlock',
  'auth.login',
  'auth.unlock',
  'auth.lock',
  'auth.logout',
  'auth.verifySecondFactor',
  'auth.sendSmsCode',
  'auth.verifySmsCode',
  'twoFactor.status',
  'twoFactor.startEnrollment',
  'twoFactor.confirmEnrollment',
  'twoFactor.abandonEnrollment',
  'twoFactor.regenerateBackupCodes',
  'twoFactor.disable',
  'phone.status',
  'phone.start',
  'phone.verify',
  'auth.activate',
  'users.list',
  'users.get',
  'users.create',
  'users.resendInvitation',
  'users.setRequireTwoFactor',
  'users.resetTwoFactor',
  'users.unlock',
  'users.setDisabled',
  'users.changeRole',
  'users.delete',
  'users.importBegin',
  'users.importNext',
  'users.export',
  'dashboard.get',
  'policy.get',
  'policy.update',
  'audit.list',
  'audit.verify',
  'database.status',
  'sms.getConfig',
  'sms.configure',
  'sms.sendTest',
  'sms.outbox',
] as const

export type Method = (typeof methodNames)[number]

/** Wire channel of a method: `api:<area>.<verb>`. */
export const channelOf = (m: Method): `api:${Method}` => `api:${m}`
