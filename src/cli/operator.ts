import { createInterface } from 'node:readline/promises'
import { toSessionUser } from '../main/core/auth'
import type { Services } from '../main/core/services'
import { firstActiveOwner } from '../main/db/queries/users'
import type { SessionUser } from '../shared/dto'
import { AppError } from '../shared/result'
import type { OptionValues } from './args'
import { CliError, usageError } from './errors'

/**
 * Whom an administrative CLI command acts as. Whoever runs the CLI holds the database key, which is
 * more than any role, so commands run directly on the services as the "operator": the first active
 * owner (lowest id; another owner when the command targets that one). The audit trail records
 * actor = that owner, with via: 'cli' and the machine's name.
 */
export function operator(services: Services, targetId?: number): SessionUser {
  const owner = firstActiveOwner(services.db, targetId)
  if (!owner) throw new AppError('CONFLICT', 'The database has no active owner for the CLI to act as.')
  return toSessionUser(owner)
}

export const yesOption = {
  yes: { type: 'boolean', description: 'Do it without asking (required when stdin is not a terminal)' },
} as const

/** Destructive commands ask first on a terminal; in a script they need --yes. */
export async function confirm(values: OptionValues, question: string): Promise<void> {
  if (values.yes === true) return
  if (!process.stdin.isTTY) {
    throw usageError('CONFIRMATION_REQUIRED', `${question} Nothing was changed: add --yes to confirm.`)
  }
  const rl = createInterface({ input: process.stdin, output: process.stderr })
  try {
    const answer = await rl.question(`${question} Type "yes" to confirm: `)
    if (answer.trim().toLowerCase() !== 'yes') {
      throw new CliError('USAGE', 'CANCELLED', 'Cancelled; nothing was changed.')
    }
  } finally {
    rl.close()
  }
}
