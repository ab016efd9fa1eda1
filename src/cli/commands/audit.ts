import type { AuditVerification } from '../../shared/dto'
import { stringOption, type Command, type CommandGroup } from '../command'
import { CliError, usageError } from '../errors'
import { writeFileAtomically, writeToStdout } from '../files'
import { ACTOR_STDIN, actingAs, actorFlag, actorOptions } from '../actor'

const PASSPHRASE_ENV = 'TESSERA_DB_PASSPHRASE  the database passphrase, for a passphrase-protected database'

export const auditGroup: CommandGroup = {
  name: 'audit',
  summary: 'Verify and export the hash-chained audit trail',
}

/** The failure a broken chain reports, shared with "db check". */
export function brokenChainMessage(v: Extract<AuditVerification, { ok: false }>): string {
  return `Audit chain broken at event ${v.firstBadSeq}: ${v.reason}`
}

export const auditVerifyCommand: Command = {
  path: ['audit', 'verify'],
  summary: 'Recompute the audit chain; fail with the first bad sequence number',
  usage: 'audit verify',
  options: {},
  env: [PASSPHRASE_ENV],
  examples: ['tessera audit verify', 'tessera audit verify --json'],
  async run(ctx) {
    const result = await ctx.withServices((s) => s.audit.verify())
    if (!result.ok) {
      throw new CliError('INTEGRITY', 'AUDIT_CHAIN_BROKEN', brokenChainMessage(result), {
        firstBadSeq: result.firstBadSeq,
        intactEvents: result.count,
      })
    }
    return { data: result, text: [`Audit chain intact: ${result.count} events, head ${result.headHash}`] }
  },
}

async function* countingLines(
  lines: AsyncIterable<string>,
  counter: { lines: number },
): AsyncIterable<string> {
  for await (const line of lines) {
    counter.lines++
    yield line
  }
}

export const auditExportCommand: Command = {
  path: ['audit', 'export'],
  summary: 'Stream every audit event, oldest first, with its hashes, as JSON lines or CSV',
  usage: 'audit export --format jsonl|csv (--as EMAIL | --key-holder) [--output FILE]',
  options: {
    ...actorOptions,
    format: {
      type: 'string',
      valueName: 'FORMAT',
      description: 'jsonl (one event per line) or csv (with a header)',
      required: true,
      choices: ['jsonl', 'csv'],
    },
    output: {
      type: 'string',
      valueName: 'FILE',
      description: 'Write to this file (replaced atomically, mode 600) instead of stdout',
    },
  },
  stdin: ACTOR_STDIN,
  env: [PASSPHRASE_ENV],
  examples: [
    `printf '%s\\n%s\\n' "$PASSWORD" "$APP_CODE" | tessera audit export --format jsonl --as ada@example.com > audit.jsonl`,
    `... | tessera audit export --format csv --output audit.csv --as ada@example.com`,
  ],
  async run(ctx, values) {
    const flag = actorFlag(values)
    const format = stringOption(values, 'format') as 'jsonl' | 'csv'
    const output = stringOption(values, 'output')
    if (ctx.json && !output) {
      throw usageError(
        'INVALID_VALUE',
        'With --json, give --output FILE: the export itself cannot share stdout with the JSON summary.',
      )
    }
    return ctx.withServices(async (services) => {
      await actingAs(ctx, services, flag, 'settings.read')
      const counter = { lines: 0 }
      const lines = countingLines(services.audit.export(format), counter)
      const events = (): number => (format === 'csv' ? counter.lines - 1 : counter.lines)
      if (!output) {
        await writeToStdout(lines)
        return { data: { format, events: events() } }
      }
      await writeFileAtomically(output, lines)
      return {
        data: { format, output, events: events() },
        text: [`Exported ${events()} events to ${output}`],
      }
    })
  },
}
