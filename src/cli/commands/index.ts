import type { Command, CommandGroup } from '../command'
import { auditExportCommand, auditGroup, auditVerifyCommand } from './audit'
import { dbCheckCommand, dbGroup } from './db'
import { initCommand } from './init'
import { loginCommand } from './login'
import { statusCommand } from './status'
import {
  confirmCommand,
  disableCommand,
  enrollCommand,
  regenerateCodesCommand,
  twoFactorStatusCommand,
  twoFactorGroup,
} from './two-factor'

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
  auditExportCommand,
  dbCheckCommand,
]

export const groups: readonly CommandGroup[] = [twoFactorGroup, auditGroup, dbGroup]
