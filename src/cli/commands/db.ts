import { DatabaseOpenError } from '../../main/core/errors'
import type { Services } from '../../main/core/services'
import { dbPassphraseSchema } from '../../shared/schemas'
import { ACTOR_STDIN, actingAs, actorFlag, actorOptions } from '../actor'
import { stringOption, type Command, type CommandGroup } from '../command'
import { teamDatabaseUrl } from '../context'
import { CliError, usageError } from '../errors'
import { readTeamPassphrase } from '../secrets'
import { validated } from '../validate'
import { brokenChainMessage } from './audit'

export const dbGroup: CommandGroup = {
  name: 'db',
  summary: 'Check the database; copy a file to a team database',
}

interface Check {
  name: string
  ok: boolean
  detail: string
}

async function runChecks(services: Services): Promise<Check[]> {
  const { opened } = services
  const schema = (await services.status()).schemaVersion
  // The audit verification runs in worker threads on the file: started first, it goes on while this
  // thread runs the engine's own checks.
  const verifying = services.audit.verify('full')
  // Awaited below; this only keeps a failure meanwhile from counting as unhandled.
  verifying.catch(() => undefined)
  await new Promise((resolve) => setImmediate(resolve))
  const { integrity, foreignKeys } = await services.checkFile()
  const integrityOk = integrity.length === 1 && integrity[0] === 'ok'
  const audit = await verifying
  return [
    {
      name: 'open',
      ok: true,
      detail: `key (${opened.keyStore}) opens the ${services.db.engine.name === 'postgres' ? 'team database (PostgreSQL)' : 'database file (SQLite)'}; schema version ${schema}`,
    },
    {
      name: 'integrity_check',
      ok: integrityOk,
      detail: integrityOk ? 'ok' : integrity.slice(0, 10).join('; '),
    },
    {
      name: 'foreign_key_check',
      ok: foreignKeys.length === 0,
      detail:
        foreignKeys.length === 0
          ? 'ok'
          : `${foreignKeys.length} rows point to missing parents, e.g. ${foreignKeys
              .slice(0, 5)
              .map((f) => `${f.table} row ${f.rowid} → ${f.parent}`)
              .join(', ')}`,
    },
    {
      name: 'audit_chain',
      ok: audit.ok,
      detail: audit.ok ? `intact: ${audit.count} events, head ${audit.headHash}` : brokenChainMessage(audit),
    },
  ]
}

const checkLine = (c: Check): string => `${c.ok ? 'ok  ' : 'FAIL'}  ${c.name.padEnd(17)}  ${c.detail}`

export const dbCheckCommand: Command = {
  path: ['db', 'check'],
  summary: 'Open the database with every check, then run integrity_check, foreign_key_check and audit verify',
  usage: 'db check',
  options: {},
  env: ['TESSERA_DB_PASSPHRASE  the database passphrase, for a passphrase-protected database'],
  examples: ['tessera db check', 'tessera db check --json'],
  async run(ctx) {
    const checks = await ctx.withServices(runChecks)
    const failed = checks.filter((c) => !c.ok)
    if (failed.length > 0) {
      // Human mode shows every check, so the failure lines stand with the ones that passed.
      if (!ctx.json) process.stdout.write(`${checks.map(checkLine).join('\n')}\n`)
      throw new CliError(
        'INTEGRITY',
        'DB_CHECK_FAILED',
        `Database check failed: ${failed.map((c) => `${c.name} (${c.detail})`).join('; ')}`,
        { checks },
      )
    }
    return { data: { ok: true, checks }, text: checks.map(checkLine) }
  },
}

export const dbCopyCommand: Command = {
  path: ['db', 'copy'],
  summary:
    'Copy this database file into a new team database on PostgreSQL (empty), sealing secrets under a new team key',
  usage: 'db copy --to postgres://USER@HOST:5432/DB (--as OWNER | --key-holder)',
  options: {
    to: {
      type: 'string',
      valueName: 'URL',
      description:
        'The empty PostgreSQL database to copy into; its password comes from PGPASSWORD or ~/.pgpass',
      required: true,
    },
    ...actorOptions,
  },
  stdin: ACTOR_STDIN,
  env: [
    'TESSERA_DB_PASSPHRASE  the passphrase of the database file, for a passphrase-protected one',
    'TESSERA_TEAM_PASSPHRASE  the new team passphrase (at least 12 characters)',
  ],
  examples: [
    `PGPASSWORD=... TESSERA_TEAM_PASSPHRASE=... tessera db copy --to postgres://tessera@db.example.com/tessera --key-holder < passphrase.txt`,
  ],
  async run(ctx, values) {
    const url = teamDatabaseUrl(stringOption(values, 'to'), '--to')
    const flag = actorFlag(values)
    if (ctx.databaseUrl) {
      throw usageError(
        'INVALID_VALUE',
        'db copy copies a database file (--db); it cannot start from a team database.',
      )
    }
    const passphrase = await readTeamPassphrase(ctx.env, { isNew: true })
    if (!passphrase) {
      throw new DatabaseOpenError(
        'TEAM_KEY_REQUIRED',
        'The team database needs a team passphrase: set TESSERA_TEAM_PASSPHRASE (at least 12 characters).',
      )
    }
    validated(dbPassphraseSchema, passphrase, 'TESSERA_TEAM_PASSPHRASE')
    const result = await ctx.withServices(async (s) => {
      // Moving everything is the owner's (or the key holder's): it carries every secret of the account.
      await actingAs(ctx, s, flag, 'settings.protective')
      const { copyToTeamDatabase } = await import('../../main/core/database')
      return copyToTeamDatabase(
        s,
        url,
        { passphrase, keychain: ctx.keychain, max: 2, ...(ctx.kdf ? { kdf: ctx.kdf } : {}) },
        ctx.serviceDeps(),
      )
    })
    const ok = result.targetCheck.audit.ok && result.targetCheck.integrity.join() === 'ok'
    if (!ok) {
      throw new CliError(
        'INTEGRITY',
        'DB_CHECK_FAILED',
        'The copy does not check out on the team database.',
        {
          ...result,
        },
      )
    }
    const total = Object.values(result.tables).reduce((a, b) => a + b, 0)
    return {
      data: { copied: true, ...result },
      text: [
        `Copied ${total} rows into the team database ${result.target.path}:`,
        ...Object.entries(result.tables)
          .filter(([, n]) => n > 0)
          .map(([t, n]) => `  ${t.padEnd(20)} ${n}`),
        `Audit chain: ${result.targetCheck.audit.count} events, verified on the team database.`,
        'Consoles and scripts now use it with --database-url (or TESSERA_DATABASE_URL) and the team passphrase.',
      ],
    }
  },
}
