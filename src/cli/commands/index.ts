import type { Command, CommandGroup } from '../command'
import { auditAnchorCommand, auditExportCommand, auditGroup, auditVerifyCommand } from './audit'
import { dbCheckCommand, dbCopyCommand, dbGroup } from './db'
import { emailConfigCommand, emailGroup, emailOutboxCommand, emailTestCommand } from './email'
import { initCommand } from './init'
import { loginCommand } from './login'
import { passwordCommands, passwordGroup } from './password'
import { phoneGroup, phoneSetCommand, phoneVerifyCommand } from './phone'
import { policyCommands, policyGroup } from './policy'
import { recoveryCommands, recoveryGroup } from './recovery'
import { smsConfigCommand, smsGroup, smsOutboxCommand, smsTestCommand } from './sms'
import { statusCommand } from './status'
import {
  confirmCommand,
  disableCommand,
  enrollCommand,
  regenerateCodesCommand,
  twoFactorStatusCommand,
  twoFactorGroup,
} from './two-factor'
import { activateCommand, addUserCommand, inviteCommand, userActionCommands, usersGroup } from './users'
import { exportUsersCommand, importUsersCommand, listUsersCommand, showUserCommand } from './users-io'

export const commands: readonly Command[] = [
  initCommand,
  statusCommand,
  loginCommand,
  enrollCommand,
  confirmCommand,
  twoFactorStatusCommand,
  regenerateCodesCommand,
  disableCommand,
  auditVerifyCommand,
  auditAnchorCommand,
  auditExportCommand,
  dbCheckCommand,
  dbCopyCommand,
  addUserCommand,
  listUsersCommand,
  showUserCommand,
  importUsersCommand,
  exportUsersCommand,
  ...userActionCommands,
  inviteCommand,
  activateCommand,
  smsConfigCommand,
  smsTestCommand,
  smsOutboxCommand,
  emailConfigCommand,
  emailTestCommand,
  emailOutboxCommand,
  ...policyCommands,
  ...passwordCommands,
  phoneSetCommand,
  phoneVerifyCommand,
  ...recoveryCommands,
]

export const groups: readonly CommandGroup[] = [
  twoFactorGroup,
  auditGroup,
  dbGroup,
  usersGroup,
  smsGroup,
  emailGroup,
  policyGroup,
  passwordGroup,
  phoneGroup,
  recoveryGroup,
]
