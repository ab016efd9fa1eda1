import type { Command, CommandGroup } from '../command'
import { auditExportCommand, auditGroup, auditVerifyCommand } from './audit'
import { dbCheckCommand, dbGroup } from './db'
import { initCommand } from './init'
import { loginCommand } from './login'
import { statusCommand } from './status'

export const commands: readonly Command[] = [
  initCommand,
  statusCommand,
  loginCommand,
  auditVerifyCommand,
  auditExportCommand,
  dbCheckCommand,
]

export const groups: readonly CommandGroup[] = [auditGroup, dbGroup]
