import { createWriteStream, renameSync, rmSync, writeFileSync } from 'node:fs'
import { Readable, type Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { CliError } from './errors'

/** Streams text pieces to stdout or a file; stdout is left open for whatever follows. */
export async function writeLines(target: Writable, lines: Iterable<string>): Promise<void> {
  await pipeline(Readable.from(lines, { objectMode: false }), target, { end: target !== process.stdout })
}

/** Streams to stdout; a reader that stops early (`| head`) is not a failure of the export. */
export async function writeToStdout(lines: Iterable<string>): Promise<void> {
  await writeLines(process.stdout, lines).catch((e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e
  })
}

const outputFailed = (path: string, e: unknown): CliError =>
  new CliError('OUTPUT_FAILED', 'OUTPUT_FAILED', `Cannot write ${path}: ${(e as Error).message}`)

/**
 * A file readable only by its owner, replaced atomically: written to a temporary file created with
 * mode 600, then renamed into place, so a failure leaves nothing half-written.
 */
export async function writeFileAtomically(path: string, lines: Iterable<string>): Promise<void> {
  const temporary = `${path}.tmp-${process.pid}`
  try {
    await writeLines(createWriteStream(temporary, { mode: 0o600 }), lines)
    renameSync(temporary, path)
  } catch (e) {
    rmSync(temporary, { force: true })
    throw outputFailed(path, e)
  }
}

/**
 * Reserves an output file before the work whose result goes into it (an import's one-time codes must
 * not be produced and then lost to an unwritable path). Returns the function that fills it in.
 */
export function reserveOutputFile(path: string): { write(text: string): void; abandon(): void } {
  const temporary = `${path}.tmp-${process.pid}`
  try {
    writeFileSync(temporary, '', { mode: 0o600, flag: 'wx' })
  } catch (e) {
    throw outputFailed(path, e)
  }
  return {
    write(text) {
      try {
        writeFileSync(temporary, text, { mode: 0o600 })
        renameSync(temporary, path)
      } catch (e) {
        throw outputFailed(path, e)
      }
    },
    abandon: () => rmSync(temporary, { force: true }),
  }
}
