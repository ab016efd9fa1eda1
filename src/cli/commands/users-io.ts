import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import type { ImportErrorDto, ImportProgressDto } from '../../shared/dto'
import { csvRow } from '../../main/core/csv'
import {
  IMPORT_DEFAULT_BATCH,
  listUsersInputSchema,
  roles,
  userFilters,
  userSorts,
} from '../../shared/schemas'
import { stringOption, type Command } from '../command'
import { CliError, usageError } from '../errors'
import {
  openAppendOnlyFile,
  stdoutOutput,
  writeFileAtomically,
  writeToStdout,
  type DurableOutput,
} from '../files'
import { ACTOR_STDIN, actingAs, actorFlag, actorOptions } from '../actor'
import { validated } from '../validate'
import { detailJson, detailLines, summaryJson, userTable } from './users-format'
import { emailOf, emailOption, PASSPHRASE_ENV } from './users'

export const listUsersCommand: Command = {
  path: ['users', 'list'],
  summary: 'One page of users (keyset pages: pass the printed cursor as --after for the next)',
  usage:
    'users list (--as EMAIL | --key-holder) [--search PREFIX] [--filter FILTER] [--role ROLE] [--sort SORT] [--limit N] [--after CURSOR]',
  options: {
    ...actorOptions,
    search: { type: 'string', valueName: 'PREFIX', description: 'Email or name starting with this' },
    filter: { type: 'string', valueName: 'FILTER', description: 'Only these users', choices: userFilters },
    role: { type: 'string', valueName: 'ROLE', description: 'Only this role', choices: roles },
    sort: { type: 'string', valueName: 'SORT', description: 'Order (default name)', choices: userSorts },
    limit: { type: 'string', valueName: 'N', description: 'Users per page, 1-500 (default 50)' },
    after: { type: 'string', valueName: 'CURSOR', description: "The previous page's next cursor" },
  },
  stdin: ACTOR_STDIN,
  env: [PASSPHRASE_ENV],
  examples: [
    `printf '%s\\n%s\\n' "$PASSWORD" "$APP_CODE" | tessera users list --filter at-risk --as sam@example.com`,
    `... | tessera users list --search ann --limit 20 --as sam@example.com`,
    `... | tessera users list --sort last-login --after eyJ... --as sam@example.com`,
  ],
  async run(ctx, values) {
    const flag = actorFlag(values)
    const limit = stringOption(values, 'limit')
    if (limit !== undefined && !/^\d+$/.test(limit))
      throw usageError('INVALID_VALUE', '--limit must be a number.')
    const query = validated(
      listUsersInputSchema,
      {
        search: stringOption(values, 'search'),
        filter: stringOption(values, 'filter'),
        role: stringOption(values, 'role'),
        sort: stringOption(values, 'sort'),
        after: stringOption(values, 'after'),
        limit: limit === undefined ? undefined : Number(limit),
      },
      'users list',
    )
    const page = await ctx.withServices(async (s) => {
      await actingAs(ctx, s, flag, 'users.read')
      return await s.users.list(query)
    })
    return {
      data: { users: page.users.map(summaryJson), nextCursor: page.nextCursor },
      text: [
        ...(page.users.length ? userTable(page.users) : ['No users match.']),
        '',
        page.nextCursor ? `Next page: --after ${page.nextCursor}` : '(last page)',
      ],
    }
  },
}

export const showUserCommand: Command = {
  path: ['users', 'show'],
  summary: "A user's page: 2FA status, the five backup-code slots, lock state, recent events",
  usage: 'users show --email EMAIL (--as EMAIL | --key-holder)',
  options: { ...emailOption, ...actorOptions },
  stdin: ACTOR_STDIN,
  env: [PASSPHRASE_ENV],
  examples: [`printf '%s\\n' "$PASSWORD" | tessera users show --email mia@example.com --as sam@example.com`],
  async run(ctx, values) {
    const email = emailOf(values)
    const flag = actorFlag(values)
    const detail = await ctx.withServices(async (s) => {
      await actingAs(ctx, s, flag, 'users.read')
      return await s.users.detail((await s.users.byEmail(email)).id)
    })
    return { data: detailJson(detail), text: detailLines(detail) }
  },
}

const errorLine = (e: ImportErrorDto): string =>
  `  line ${e.line}${e.column ? ` (${e.column})` : ''}: ${e.message}`

export const importUsersCommand: Command = {
  path: ['users', 'import'],
  summary:
    "Import users from a CSV (email,name,role,require_2fa): all rows checked first, nothing imported if any is wrong; writes each batch's invitation codes as it commits. Run it again to finish an interrupted import",
  usage: 'users import FILE (--as EMAIL | --key-holder) [--output FILE] [--batch-size N]',
  positional: { name: 'FILE', description: 'The CSV to import, with the header email,name,role,require_2fa' },
  options: {
    ...actorOptions,
    output: {
      type: 'string',
      valueName: 'FILE',
      description:
        "Append the invitations CSV here (created mode 600; each batch fsync'd as it commits) instead of stdout",
    },
    'batch-size': {
      type: 'string',
      valueName: 'N',
      description: `Users per transaction (default ${IMPORT_DEFAULT_BATCH})`,
    },
  },
  stdin: ACTOR_STDIN,
  env: [PASSPHRASE_ENV],
  examples: [
    `printf '%s\\n%s\\n' "$PASSWORD" "$APP_CODE" | tessera users import people.csv --output invitations.csv --as ada@example.com`,
    `... | tessera users import people.csv --json --output invitations.csv --as ada@example.com`,
  ],
  async run(ctx, values, file) {
    const flag = actorFlag(values)
    const output = stringOption(values, 'output')
    const batchText = stringOption(values, 'batch-size') ?? String(IMPORT_DEFAULT_BATCH)
    const batchSize = Number(batchText)
    if (!/^\d+$/.test(batchText) || batchSize < 1 || batchSize > 5000) {
      throw usageError('INVALID_VALUE', '--batch-size must be a number from 1 to 5000.')
    }
    let csv: string
    try {
      csv = readFileSync(resolve(file!), 'utf8')
    } catch (e) {
      throw usageError('INVALID_VALUE', `Cannot read ${file}: ${(e as Error).message}`)
    }
    return ctx.withServices(async (s) => {
      const actor = await actingAs(ctx, s, flag, 'users.manage')
      const begun = await s.userImport.begin(csv, actor)
      if (!begun.importId) {
        const more = begun.moreErrors ? [`  … and ${begun.moreErrors} more`] : []
        throw new CliError(
          'IMPORT_INVALID',
          'IMPORT_INVALID',
          [`${file} has errors; nothing was imported:`, ...begun.errors.map(errorLine), ...more].join('\n'),
          { errors: begun.errors, moreErrors: begun.moreErrors },
        )
      }
      const importId = begun.importId
      // Loaded here, not with the CLI: the import service brings the database layer with it.
      const { INVITATION_COLUMNS } = await import('../../main/core/user-import')
      const header = csvRow(INVITATION_COLUMNS)
      // The one-time codes must have somewhere to go before any user is created. With --json and no
      // --output they go in the summary, at the end; otherwise each batch's codes are written (and
      // fsync'd) as the batch commits, and only then erased from the database.
      const target = output ? openAppendOnlyFile(output, header) : undefined
      const sink: DurableOutput | undefined = target ?? (ctx.json ? undefined : stdoutOutput())
      try {
        if (!target && sink) await sink.append(header)
        let delivered = 0
        const deliver = async (to: DurableOutput): Promise<void> => {
          const held = await s.userImport.heldCodes(importId, actor, false)
          if (held.through === 0) return
          if (held.csv) await to.append(held.csv)
          await s.userImport.codesDelivered(importId, held.through, actor, ctx.client)
          delivered += held.count
        }
        if (begun.alreadyImported > 0) {
          process.stderr.write(
            `${begun.alreadyImported} rows were imported before (same name, role and require_2fa): skipped${
              begun.pendingCodes
                ? `; ${begun.pendingCodes} of their codes were never delivered and come now`
                : ''
            }\n`,
          )
          if (sink) await deliver(sink)
        }
        let progress: ImportProgressDto
        do {
          progress = await s.userImport.next(importId, batchSize, actor, ctx.client)
          if (sink) await deliver(sink)
          process.stderr.write(`Imported ${progress.imported}/${progress.total}\n`)
        } while (!progress.done)
        let invitationsCsv: string | undefined
        if (!sink) {
          const held = await s.userImport.heldCodes(importId, actor, false)
          invitationsCsv = header + held.csv
          delivered = held.count
          // Erased only now, with the summary about to be printed: the one moment they could be lost.
          if (held.through) await s.userImport.codesDelivered(importId, held.through, actor, ctx.client)
        }
        const summary = {
          imported: progress.imported,
          total: progress.total,
          alreadyImported: progress.alreadyImported,
          codes: delivered,
          skipped: progress.skipped,
          output: output ?? null,
          ...(invitationsCsv === undefined ? {} : { invitationsCsv }),
        }
        const already = progress.alreadyImported
          ? [`${progress.alreadyImported} rows were already imported and were skipped.`]
          : []
        return {
          data: summary,
          text: target
            ? [
                `Imported ${progress.imported} of ${progress.total} users; ${delivered} invitation codes were added to ${output} (shown this once).`,
                ...already,
                ...progress.skipped.map(errorLine),
              ]
            : [],
        }
      } finally {
        target?.close()
      }
    })
  },
}

export const exportUsersCommand: Command = {
  path: ['users', 'export'],
  summary:
    'Export every user as CSV (email,name,role,status,two_factor,backup_codes_left,last_login_at), no secrets',
  usage: 'users export (--as EMAIL | --key-holder) [--output FILE]',
  options: {
    ...actorOptions,
    output: {
      type: 'string',
      valueName: 'FILE',
      description: 'Write to this file (replaced atomically, mode 600) instead of stdout',
    },
  },
  stdin: ACTOR_STDIN,
  env: [PASSPHRASE_ENV],
  examples: [
    `printf '%s\\n%s\\n' "$PASSWORD" "$APP_CODE" | tessera users export --as ada@example.com > users.csv`,
    `... | tessera users export --output users.csv --as ada@example.com`,
  ],
  async run(ctx, values) {
    const flag = actorFlag(values)
    const output = stringOption(values, 'output')
    if (ctx.json && !output) {
      throw usageError(
        'INVALID_VALUE',
        'With --json, give --output FILE: the export itself cannot share stdout with the JSON summary.',
      )
    }
    return ctx.withServices(async (s) => {
      await actingAs(ctx, s, flag, 'users.manage')
      let rows = -1
      const lines = (async function* () {
        for await (const l of s.userImport.exportCsv()) {
          rows++
          yield l
        }
      })()
      if (!output) {
        await writeToStdout(lines)
        return { data: { users: rows } }
      }
      await writeFileAtomically(output, lines)
      return { data: { users: rows, output }, text: [`Exported ${rows} users to ${output}`] }
    })
  },
}
