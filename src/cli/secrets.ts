import { CliError, usageError } from './errors'

/**
 * Secrets reach the CLI through stdin (passwords) or the environment (the database passphrase), never
 * argv. When stdin is a terminal the CLI asks, without echo; otherwise it reads the lines piped, in order.
 */

async function readAllStdin(): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of process.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk)
  return Buffer.concat(chunks).toString('utf8')
}

/**
 * Piped stdin, read once and handed out line by line, in order: who acts (`--as`: their password, then
 * their second factor) comes first, then what the command itself reads (a new password, a code, a token).
 */
let piped: Promise<string[]> | undefined
let cursor = 0

async function nextPipedLine(): Promise<string | undefined> {
  piped ??= readAllStdin().then((text) => text.split(/\r?\n/))
  const lines = await piped
  return lines[cursor++]
}

/** The next secret: asked without echo on a terminal, else the next line of stdin (empty → undefined). */
export async function nextSecret(label: string): Promise<string | undefined> {
  const value = process.stdin.isTTY ? await promptHidden(`${label}: `) : await nextPipedLine()
  return value ? value : undefined
}

function promptHidden(prompt: string): Promise<string> {
  const stdin = process.stdin
  return new Promise((resolve, reject) => {
    let value: string[] = []
    const finish = (error?: Error): void => {
      stdin.off('data', onData)
      stdin.setRawMode(false)
      stdin.pause()
      process.stderr.write('\n')
      if (error) reject(error)
      else resolve(value.join(''))
    }
    const onData = (chunk: string): void => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') return finish()
        if (ch === '\u0003') return finish(new CliError('USAGE', 'CANCELLED', 'Cancelled.'))
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1)
        else value.push(ch)
      }
    }
    process.stderr.write(prompt)
    stdin.setEncoding('utf8')
    stdin.setRawMode(true)
    stdin.resume()
    stdin.on('data', onData)
  })
}

async function promptTwice(label: string): Promise<string> {
  const first = await promptHidden(`${label}: `)
  const second = await promptHidden(`${label} again: `)
  if (first !== second)
    throw usageError('SECRETS_DIFFER', `The two ${label.toLowerCase()}s differ; nothing was changed.`)
  return first
}

/** A password from stdin: asked on a terminal (twice when it is a new one), else the next line piped. */
export async function readPassword(
  label: string,
  options: { isNew?: boolean; example: string },
): Promise<string> {
  if (process.stdin.isTTY) return options.isNew ? promptTwice(label) : promptHidden(`${label}: `)
  const line = await nextPipedLine()
  if (!line) {
    throw usageError(
      'NO_PASSWORD',
      `No ${label.toLowerCase()} on stdin. Pipe it as ${cursor <= 1 ? 'the first line' : `line ${cursor}`}, e.g. ${options.example}`,
    )
  }
  return line
}

/** A secret read from stdin after the password: what it is and which flag asked for it. */
export interface SecondLine {
  /** As people say it: "Backup code". */
  label: string
  /** The flag that reads it from stdin: "--backup-code -". */
  flag: string
  /** The usage error's reason when the line is missing: "NO_BACKUP_CODE". */
  missingReason: string
}

/**
 * For `--backup-code -`, `--access-code -` and the like: the password on one line of stdin and the code
 * on the next (on a terminal, asked one after the other without echo), so the code never appears in
 * argv or `ps`.
 */
export async function readPasswordAndSecondLine(
  example: string,
  second: SecondLine,
  options: { isNew?: boolean } = {},
): Promise<{ password: string; secret: string }> {
  const password = await readPassword(options.isNew ? 'New password' : 'Password', { example, ...options })
  const secret = await nextSecret(second.label)
  if (!secret) {
    throw usageError(
      second.missingReason,
      `With ${second.flag}, pipe the ${second.label.toLowerCase()} as the line after the password, e.g. ${example}`,
    )
  }
  return { password, secret }
}

/** The database passphrase: TESSERA_DB_PASSPHRASE, else asked on a terminal; undefined when neither. */
export async function readDbPassphrase(
  env: NodeJS.ProcessEnv,
  options: { isNew?: boolean } = {},
): Promise<string | undefined> {
  if (env.TESSERA_DB_PASSPHRASE) return env.TESSERA_DB_PASSPHRASE
  if (!process.stdin.isTTY) return undefined
  return options.isNew ? promptTwice('Database passphrase') : promptHidden('Database passphrase: ')
}

/** The team passphrase of a team database: TESSERA_TEAM_PASSPHRASE, else asked on a terminal. */
export async function readTeamPassphrase(
  env: NodeJS.ProcessEnv,
  options: { isNew?: boolean } = {},
): Promise<string | undefined> {
  if (env.TESSERA_TEAM_PASSPHRASE) return env.TESSERA_TEAM_PASSPHRASE
  if (!process.stdin.isTTY) return undefined
  return options.isNew ? promptTwice('Team passphrase') : promptHidden('Team passphrase: ')
}

/**
 * A secret that may be left as it is: asked without echo on a terminal, else the next line of stdin.
 * Empty (nothing typed, nothing piped) gives undefined: "keep the one already stored".
 */
export async function readOptionalSecret(label: string): Promise<string | undefined> {
  const value = process.stdin.isTTY
    ? await promptHidden(`${label} (empty keeps the current one): `)
    : ((await nextPipedLine()) ?? '')
  return value.trim() || undefined
}
