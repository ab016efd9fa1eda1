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
