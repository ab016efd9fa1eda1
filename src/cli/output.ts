import type { CommandResult } from './command'
import type { Failure } from './errors'

/** Stdout carries the result (one JSON object with --json); stderr carries messages for people. */

export function printResult(json: boolean, result: CommandResult): void {
  if (json) process.stdout.write(`${JSON.stringify(result.data)}\n`)
  else if (result.text?.length) process.stdout.write(`${result.text.join('\n')}\n`)
}

export function printFailure(json: boolean, failure: Failure): void {
  if (json) {
    const error = { code: failure.code, reason: failure.reason, message: failure.message, ...failure.details }
    process.stdout.write(`${JSON.stringify({ error })}\n`)
  } else {
    process.stderr.write(`tessera: ${failure.message}\n`)
  }
}

export function printText(json: boolean, key: 'help' | 'version', text: string): void {
  process.stdout.write(json ? `${JSON.stringify({ [key]: text })}\n` : `${text}\n`)
}

/** Columns padded to their widest cell, two spaces apart; the last column is never padded. */
export function textTable(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)))
  return [header, ...rows].map((r) =>
    r
      .map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd(),
  )
}
