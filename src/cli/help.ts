import { globalOptions, type OptionSpecs } from './args'
import { commandName, type Command, type CommandGroup } from './command'
import { exitCodeTable } from './exit-codes'

const flagLabel = (name: string, spec: OptionSpecs[string]): string =>
  `${spec.short ? `-${spec.short}, ` : ''}--${name}${spec.type === 'string' ? ` ${spec.valueName ?? 'VALUE'}` : ''}`

function optionLines(specs: OptionSpecs): string[] {
  const entries = Object.entries(specs)
  const width = Math.max(...entries.map(([n, s]) => flagLabel(n, s).length))
  return entries.map(([n, s]) => {
    const notes = [s.required ? 'required' : '', s.choices ? `one of: ${s.choices.join(', ')}` : ''].filter(
      Boolean,
    )
    return `  ${flagLabel(n, s).padEnd(width)}  ${s.description}${notes.length ? ` (${notes.join('; ')})` : ''}`
  })
}

function commandList(commands: readonly Command[]): string[] {
  const width = Math.max(...commands.map((c) => c.path.join(' ').length))
  return commands.map((c) => `  ${c.path.join(' ').padEnd(width)}  ${c.summary}`)
}

export function commandHelp(command: Command): string {
  const lines = [`Usage: tessera ${command.usage} [--db PATH] [--json]`, '', command.summary, '', 'Options:']
  if (command.positional)
    lines.splice(4, 0, 'Arguments:', `  ${command.positional.name}  ${command.positional.description}`, '')
  lines.push(...optionLines({ ...command.options, ...globalOptions }))
  if (command.stdin) lines.push('', `Stdin: ${command.stdin}`)
  if (command.env?.length) lines.push('', 'Environment:', ...command.env.map((e) => `  ${e}`))
  if (command.examples.length) lines.push('', 'Examples:', ...command.examples.map((e) => `  ${e}`))
  return lines.join('\n')
}

export function groupHelp(group: CommandGroup, commands: readonly Command[]): string {
  return [
    `Usage: tessera ${group.name} <command> [options]`,
    '',
    group.summary,
    '',
    'Commands:',
    ...commandList(commands),
    '',
    `Run "${commandName({ path: [group.name, '<command>'] })} --help" for a command's options.`,
  ].join('\n')
}

export function mainHelp(commands: readonly Command[], version: string): string {
  return [
    `tessera ${version}: the Tessera two-factor authentication console, for scripts and headless machines.`,
    '',
    'Usage: tessera <command> [options]',
    '',
    'Commands:',
    ...commandList(commands),
    '',
    'Global options:',
    ...optionLines({ ...globalOptions, version: { type: 'boolean', description: 'Print the version' } }),
    '',
    'Secrets are read from stdin (passwords) or TESSERA_DB_PASSPHRASE (the database passphrase), never argv.',
    '',
    'Exit codes:',
    ...exitCodeTable.map((e) => `  ${String(e.code).padStart(2)}  ${e.name}`),
    '',
    'Run "tessera <command> --help" for a command\'s options; docs/cli.md has the full reference.',
  ].join('\n')
}
