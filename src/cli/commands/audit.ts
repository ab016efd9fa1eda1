import { existsSync, readFileSync } from 'node:fs'
import type { AuditAnchor, AuditVerification } from '../../shared/dto'
import type { AnchorCheck } from '../../main/core/audit-anchor'
import { AppError } from '../../shared/result'
import { auditAnchorSchema } from '../../shared/schemas'
import { stringOption, type Command, type CommandGroup } from '../command'
import { CliError, usageError } from '../errors'
import { writeFileAtomically, writeToStdout } from '../files'
import { validated } from '../validate'
import { ACTOR_STDIN, actingAs, actorFlag, actorOptions } from '../actor'

const PASSPHRASE_ENV = 'TESSERA_DB_PASSPHRASE  the database passphrase, for a passphrase-protected database'

export const auditGroup: CommandGroup = {
  name: 'audit',
  summary: 'Verify, anchor and export the hash-chained audit trail',
}

/** The failure a broken chain reports, shared with "db check". */
export function brokenChainMessage(v: Extract<AuditVerification, { ok: false }>): string {
  return `Audit chain broken at event ${v.firstBadSeq}: ${v.reason}`
}

/** Reads an anchor file: JSON as `audit anchor` writes it, checked against the contract's schema. */
function readAnchor(path: string): AuditAnchor {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (e) {
    throw usageError('INVALID_VALUE', `--anchor: cannot read ${path}: ${(e as Error).message}`)
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    throw usageError(
      'INVALID_VALUE',
      `--anchor: ${path} is not JSON (an anchor as "tessera audit anchor" writes it).`,
    )
  }
  return validated(auditAnchorSchema, json, `--anchor ${path}`)
}

export const auditVerifyCommand: Command = {
  path: ['audit', 'verify'],
  summary:
    'Recompute every event of the audit chain (a full check, in parallel); fail with the first bad sequence number',
  usage: 'audit verify [--anchor FILE]',
  options: {
    anchor: {
      type: 'string',
      valueName: 'FILE',
      description:
        'Also prove that the log still extends this anchor (from "audit anchor") unchanged, or name the first event where it does not',
    },
  },
  env: [PASSPHRASE_ENV],
  examples: [
    'tessera audit verify',
    'tessera audit verify --json',
    'tessera audit verify --anchor audit-anchor.json',
  ],
  async run(ctx, values) {
    const anchorPath = stringOption(values, 'anchor')
    const anchor = anchorPath === undefined ? undefined : readAnchor(anchorPath)
    const result: AnchorCheck = await ctx.withServices((s) =>
      anchor ? s.auditAnchors.check(anchor) : s.audit.verify('full'),
    )
    if (!result.ok) {
      throw new CliError('INTEGRITY', 'AUDIT_CHAIN_BROKEN', brokenChainMessage(result), {
        firstBadSeq: result.firstBadSeq,
        intactEvents: result.count,
      })
    }
    const text = [`Audit chain intact: ${result.count} events, head ${result.headHash}`]
    if (result.anchor) {
      text.push(`It extends the anchor at event ${result.anchor.seq} (${result.anchor.hash}) unchanged.`)
    }
    return { data: result, text }
  },
}

export const auditAnchorCommand: Command = {
  path: ['audit', 'anchor'],
  summary:
    "Write the chain's head (sequence number, hash, time) to a file, or send it to every owner, to check against later",
  usage: 'audit anchor (--output FILE [--force] | --send) (--as OWNER | --key-holder)',
  options: {
    ...actorOptions,
    output: {
      type: 'string',
      valueName: 'FILE',
      description: 'Write the anchor (JSON, mode 600) to this file; an existing file is kept unless --force',
    },
    force: { type: 'boolean', description: 'Replace an existing file at --output (atomically)' },
    send: {
      type: 'boolean',
      description: 'Send the anchor to every active owner, by email and/or SMS as the policy says',
    },
  },
  stdin: ACTOR_STDIN,
  env: [PASSPHRASE_ENV],
  examples: [
    `printf '%s\\n%s\\n' "$PASSWORD" "$APP_CODE" | tessera audit anchor --output /media/usb/audit-anchor.json --as ada@example.com`,
    '... | tessera audit anchor --send --as ada@example.com',
    'tessera audit verify --anchor /media/usb/audit-anchor.json',
  ],
  async run(ctx, values) {
    const flag = actorFlag(values)
    const output = stringOption(values, 'output')
    const send = values.send === true
    if ((output === undefined) === !send) {
      throw usageError('INVALID_VALUE', 'Give --output FILE or --send (one of them).')
    }
    if (output !== undefined && existsSync(output) && values.force !== true) {
      throw usageError(
        'INVALID_VALUE',
        `${output} already exists: an earlier anchor is evidence worth keeping. Choose another file, or give --force.`,
      )
    }
    return ctx.withServices(async (services) => {
      const actor = await actingAs(ctx, services, flag, 'settings.protective')
      let result
      try {
        result = await services.auditAnchors.anchor(send ? 'owners' : 'file', actor, ctx.client)
      } catch (e) {
        if (e instanceof AppError && e.code === 'CONFLICT') {
          throw new CliError('INTEGRITY', 'AUDIT_CHAIN_BROKEN', e.message)
        }
        throw e
      }
      const { anchor } = result
      if (output !== undefined) await writeFileAtomically(output, Buffer.from(`${result.text}\n`))
      return {
        data: { anchor, ...(output !== undefined ? { output } : { sentTo: result.sentTo }) },
        text: [
          `Anchored the audit trail at event ${anchor.seq}, hash ${anchor.hash}`,
          output !== undefined
            ? `Written to ${output}: keep it where nobody with the database can change it.`
            : `Sent to ${result.sentTo} owner${result.sentTo === 1 ? '' : 's'}.`,
        ],
      }
    })
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
