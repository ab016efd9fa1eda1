import type { SessionUser } from '../../shared/dto'
import {
  dbPassphraseSchema,
  emailSchema,
  keyStores,
  personNameSchema,
  type KeyStore,
} from '../../shared/schemas'
import { DatabaseOpenError } from '../../main/core/errors'
import type { OptionValues } from '../args'
import { stringOption, type Command } from '../command'
import type { CliContext } from '../context'
import { usageError } from '../errors'
import { readDbPassphrase, readPassword, readTeamPassphrase } from '../secrets'
import { validated } from '../validate'

export const initCommand: Command = {
  path: ['init'],
  summary: 'Create the encrypted database and its owner account',
  usage:
    'init --owner-email EMAIL --owner-name NAME [--key-store keychain|passphrase] | [--database-url postgres://USER@HOST/DB]',
  options: {
    'owner-email': {
      type: 'string',
      valueName: 'EMAIL',
      description: "The owner's email (their login)",
      required: true,
    },
    'owner-name': { type: 'string', valueName: 'NAME', description: "The owner's full name", required: true },
    'key-store': {
      type: 'string',
      valueName: 'STORE',
      description:
        'Where the database key lives: a random key in the OS keychain, or derived from a passphrase (default keychain)',
      choices: keyStores,
    },
  },
  stdin:
    "the owner's new password, first line (at least 15 characters until 2FA is on, not a common password)",
  env: [
    'TESSERA_DB_PASSPHRASE  the database passphrase, with --key-store passphrase (at least 12 characters)',
    'TESSERA_TEAM_PASSPHRASE  the new team passphrase, with --database-url (at least 12 characters)',
    'TESSERA_DATABASE_URL  the team database, instead of --database-url (may carry its password)',
  ],
  examples: [
    `printf '%s\\n' "$OWNER_PASSWORD" | tessera init --owner-email ada@example.com --owner-name 'Ada Lovelace'`,
    `TESSERA_DB_PASSPHRASE=... tessera init --owner-email ada@example.com --owner-name Ada --key-store passphrase < password.txt`,
    `PGPASSWORD=... TESSERA_TEAM_PASSPHRASE=... tessera init --database-url postgres://tessera@db.example.com/tessera --owner-email ada@example.com --owner-name Ada < password.txt`,
  ],
  async run(ctx, values) {
    const email = validated(emailSchema, stringOption(values, 'owner-email'), '--owner-email')
    const name = validated(personNameSchema, stringOption(values, 'owner-name'), '--owner-name')
    if (ctx.databaseUrl) return initTeam(ctx, values, { email, name })
    const keyStore = (stringOption(values, 'key-store') ?? 'keychain') as KeyStore
    const { createServices, databaseExists } = await import('../../main/core/database')
    if (databaseExists(ctx.dbPath)) {
      throw new DatabaseOpenError(
        'ALREADY_EXISTS',
        `A database already exists at ${ctx.dbPath}; nothing was changed.`,
      )
    }
    let passphrase: string | undefined
    if (keyStore === 'passphrase') {
      passphrase = await readDbPassphrase(ctx.env, { isNew: true })
      if (!passphrase) {
        throw new DatabaseOpenError(
          'PASSPHRASE_REQUIRED',
          'With --key-store passphrase, set the database passphrase in TESSERA_DB_PASSPHRASE.',
        )
      }
      validated(dbPassphraseSchema, passphrase, 'TESSERA_DB_PASSPHRASE')
    }
    const password = await readPassword('Owner password', {
      isNew: true,
      example: `printf '%s\\n' "$OWNER_PASSWORD" | tessera init --owner-email ${email} --owner-name ...`,
    })
    const person = { email, name }
    // Checked before anything is created, so a weak password never touches the keychain or the disk.
    // The owner signs in with the password alone until they turn 2FA on: the longer minimum applies.
    ctx.passwordPolicy().check(password, person, { passwordAlone: true })
    let owner: SessionUser | undefined
    const services = await createServices(
      ctx.dbPath,
      {
        keyStore,
        keychain: ctx.keychain,
        ...(passphrase ? { passphrase } : {}),
        ...(ctx.kdf ? { kdf: ctx.kdf } : {}),
      },
      ctx.serviceDeps(),
      async (created) => {
        owner = await created.auth.createOwner({ ...person, password }, ctx.client)
      },
    )
    const status = await services.status()
    await services.close()
    return {
      data: { created: true, owner, status },
      text: [
        `Created ${status.path} (key store: ${status.keyStore}, schema ${status.schemaVersion}).`,
        `Owner: ${owner?.name ?? name} <${owner?.email ?? email}>`,
      ],
    }
  },
}

/**
 * A team database: the schema, the team key (wrapped by the team passphrase) and the owner, created in
 * one transaction on an empty PostgreSQL database.
 */
async function initTeam(ctx: CliContext, values: OptionValues, person: { email: string; name: string }) {
  if (stringOption(values, 'key-store') !== undefined) {
    throw usageError(
      'INVALID_VALUE',
      '--key-store is for a database file; a team database is protected by the team passphrase (TESSERA_TEAM_PASSPHRASE).',
    )
  }
  const passphrase = await readTeamPassphrase(ctx.env, { isNew: true })
  if (!passphrase) {
    throw new DatabaseOpenError(
      'TEAM_KEY_REQUIRED',
      'A team database needs a team passphrase: set TESSERA_TEAM_PASSPHRASE (at least 12 characters). Everyone who opens the team database on a new machine types it once.',
    )
  }
  validated(dbPassphraseSchema, passphrase, 'TESSERA_TEAM_PASSPHRASE')
  const password = await readPassword('Owner password', {
    isNew: true,
    example: `printf '%s\\n' "$OWNER_PASSWORD" | tessera init --database-url ... --owner-email ${person.email} --owner-name ...`,
  })
  ctx.passwordPolicy().check(password, person, { passwordAlone: true })
  let owner: SessionUser | undefined
  const { createTeamServices } = await import('../../main/core/database')
  const services = await createTeamServices(
    ctx.databaseUrl!,
    { passphrase, keychain: ctx.keychain, max: 2, ...(ctx.kdf ? { kdf: ctx.kdf } : {}) },
    ctx.serviceDeps(),
    async (created) => {
      owner = await created.auth.createOwner({ ...person, password }, ctx.client)
    },
  )
  const status = await services.status()
  await services.close()
  return {
    data: { created: true, owner, status },
    text: [
      `Created the team database ${status.path} (PostgreSQL, schema ${status.schemaVersion}); secrets are sealed under the team key.`,
      `Owner: ${owner?.name ?? person.name} <${owner?.email ?? person.email}>`,
      'Keep the team passphrase safe: every console and script that opens this database needs it once, and without it the secrets in a backup cannot be read.',
    ],
  }
}
