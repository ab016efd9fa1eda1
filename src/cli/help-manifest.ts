import { commands, groups } from './commands'
import { cliVersion } from './context'
import { commandHelp, groupHelp, mainHelp } from './help'

/**
 * Every help text the CLI prints, as out/main/help.json: written at build (electron.vite.config.ts) from
 * the functions and command lists main.ts uses, so that bin/tessera.mjs can answer `tessera --help`
 * without loading the CLI bundle and its zod schemas. Never edited by hand.
 */
export interface HelpManifest {
  /** package.json's version when the texts were made; the bin answers only while it is unchanged. */
  version: string
  /**
   * What `tessera WORDS… --help` prints on stdout (the text and its newline, as printText writes it),
   * keyed by the words joined with one space: '' for `tessera --help`, 'audit', 'audit verify', 'login'.
   */
  help: Record<string, string>
  /** What `tessera --version` prints on stdout. */
  versionText: string
}

/** Follows resolveTarget in main.ts: a first word that names a group is that group. */
export function helpManifest(): HelpManifest {
  const version = cliVersion()
  const out = (text: string): string => `${text}\n`
  const help: Record<string, string> = { '': out(mainHelp(commands, version)) }
  const isGroup = (name: string | undefined): boolean => groups.some((g) => g.name === name)
  for (const group of groups) {
    if (Object.hasOwn(help, group.name)) continue
    help[group.name] = out(
      groupHelp(
        group,
        commands.filter((c) => c.path[0] === group.name),
      ),
    )
  }
  for (const command of commands) {
    const [first] = command.path
    // Only the commands main.ts can reach: "GROUP CMD" under a group, or one word that is not a group.
    const reachable =
      command.path.length === 2 ? isGroup(first) : command.path.length === 1 && !isGroup(first)
    const key = command.path.join(' ')
    // main.ts takes the first command with those words.
    if (reachable && !Object.hasOwn(help, key)) help[key] = out(commandHelp(command))
  }
  return { version, help, versionText: out(version) }
}
