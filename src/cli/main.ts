import { globalOptions, checkFlags, parseLine, type OptionSpecs } from './args'
import { commandName, type Command } from './command'
import { commands, groups } from './commands'
import { cliVersion, createContext } from './context'
import { toFailure, usageError } from './errors'
import { EXIT } from './exit-codes'
import { commandHelp, groupHelp, mainHelp } from './help'
import { printFailure, printResult, printText } from './output'

const allOptions: OptionSpecs = Object.assign(
  { version: { type: 'boolean', description: 'Print the version' } },
  globalOptions,
  ...commands.map((c) => c.options),
)

type Target = { kind: 'command'; command: Command } | { kind: 'help'; text: string }

/** Picks the command named by the leading words; a group or nothing at all shows its help. */
function resolveTarget(words: string[], wantsHelp: boolean, wantsVersion: boolean): Target {
  const version = cliVersion()
  if (words.length === 0) {
    if (wantsVersion) return { kind: 'help', text: version }
    if (wantsHelp) return { kind: 'help', text: mainHelp(commands, version) }
    throw usageError('NO_COMMAND', 'Give a command. Run "tessera --help" for the list.')
  }
  const [first, second] = words
  const group = groups.find((g) => g.name === first)
  if (group) {
    const members = commands.filter((c) => c.path[0] === group.name)
    const command = members.find((c) => c.path[1] === second)
    if (command) return { kind: 'command', command }
    if (second === undefined && wantsHelp) return { kind: 'help', text: groupHelp(group, members) }
    const choices = members.map((c) => c.path[1]).join(', ')
    throw usageError(
      'UNKNOWN_COMMAND',
      second === undefined
        ? `"tessera ${group.name}" needs a command: ${choices}. Run "tessera ${group.name} --help".`
        : `Unknown command "tessera ${group.name} ${second}"; choose one of: ${choices}.`,
    )
  }
  const command = commands.find((c) => c.path.length === 1 && c.path[0] === first)
  if (!command)
    throw usageError('UNKNOWN_COMMAND', `Unknown command "${first}". Run "tessera --help" for the list.`)
  return { kind: 'command', command }
}

/** Runs the CLI once and returns the exit code. Nothing here calls process.exit, so output drains. */
export async function runCli(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const json = argv.includes('--json')
  const debug = env.TESSERA_DEBUG === '1'
  try {
    const line = parseLine(argv, allOptions)
    const target = resolveTarget(line.words, line.values.help === true, line.values.version === true)
    if (target.kind === 'help') {
      printText(json, line.values.version && line.words.length === 0 ? 'version' : 'help', target.text)
      return EXIT.OK
    }
    const { command } = target
    const name = commandName(command)
    checkFlags(line, { ...command.options, ...globalOptions }, name)
    if (line.values.help) {
      printText(json, 'help', commandHelp(command))
      return EXIT.OK
    }
    const positional = command.positional ? line.words[command.path.length] : undefined
    if (command.positional && positional === undefined) {
      throw usageError(
        'MISSING_ARGUMENT',
        `"${name}" needs ${command.positional.name}. See "${name} --help".`,
      )
    }
    if (line.words.length > command.path.length + (command.positional ? 1 : 0)) {
      // Not echoed: a stray argument is often a secret typed in the wrong place.
      throw usageError(
        'UNEXPECTED_ARGUMENT',
        `"${name}" takes no positional arguments (the extra one is not shown, in case it is a secret). See "${name} --help".`,
      )
    }
    const db = line.values.db
    const url = line.values['database-url']
    const ctx = await createContext(env, {
      json,
      db: typeof db === 'string' ? db : undefined,
      databaseUrl: typeof url === 'string' ? url : undefined,
    })
    printResult(json, await command.run(ctx, line.values, positional))
    return EXIT.OK
  } catch (error) {
    const failure = toFailure(error, debug)
    printFailure(json, failure)
    if (debug && failure.code === 'INTERNAL' && error instanceof Error && error.stack) {
      process.stderr.write(`${error.stack}\n`)
    }
    return failure.exitCode
  }
}
