import { randomBytes } from 'node:crypto'
import { closeSync, constants, createWriteStream, openSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { Readable, type Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { CliError } from './errors'

/** Streams text pieces to stdout or a file; stdout is left open for whatever follows. */
export type Lines = Iterable<string> | AsyncIterable<string>

export async function writeLines(target: Writable, lines: Lines): Promise<void> {
  await pipeline(Readable.from(lines, { objectMode: false }), target, { end: target !== process.stdout })
}

/** Streams to stdout; a reader that stops early (`| head`) is not a failure of the export. */
export async function writeToStdout(lines: Lines): Promise<void> {
  await writeLines(process.stdout, lines).catch((e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e
  })
}

const outputFailed = (path: string, e: unknown): CliError =>
  new CliError('OUTPUT_FAILED', 'OUTPUT_FAILED', `Cannot write ${path}: ${(e as Error).message}`)

/**
 * A new temporary file next to `path`, readable only by its owner: a random name, created exclusively
 * and never through a symlink (O_EXCL | O_NOFOLLOW), so nobody can plant a file or link to be written
 * through. Returns its name and open descriptor.
 */
function privateTemporary(path: string): { name: string; fd: number } {
  const name = `${path}.${randomBytes(8).toString('hex')}.tmp`
  const fd = openSync(
    name,
    constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY | constants.O_NOFOLLOW,
    0o600,
  )
  return { name, fd }
}

/**
 * A file readable only by its owner, replaced atomically: written to a private temporary file, then
 * renamed into place (a rename replaces a symlink at `path` rather than following it), so a failure
 * leaves nothing half-written.
 */
export async function writeFileAtomically(path: string, content: Lines | Buffer): Promise<void> {
  let temporary: { name: string; fd: number } | undefined
  try {
    temporary = privateTemporary(path)
    if (Buffer.isBuffer(content)) {
      writeFileSync(temporary.fd, content)
      closeSync(temporary.fd)
    } else {
      await writeLines(createWriteStream('', { fd: temporary.fd }), content)
    }
    renameSync(temporary.name, path)
  } catch (e) {
    if (temporary) rmSync(temporary.name, { force: true })
    throw outputFailed(path, e)
  }
}

/**
 * Reserves an output file before the work whose result goes into it (an import's one-time codes must
 * not be produced and then lost to an unwritable path). Returns the function that fills it in.
 */
export function reserveOutputFile(path: string): { write(text: string): void; abandon(): void } {
  let temporary: { name: string; fd: number }
  try {
    temporary = privateTemporary(path)
  } catch (e) {
    throw outputFailed(path, e)
  }
  return {
    write(text) {
      try {
        writeFileSync(temporary.fd, text)
        closeSync(temporary.fd)
        renameSync(temporary.name, path)
      } catch (e) {
        throw outputFailed(path, e)
      }
    },
    abandon: () => {
      try {
        closeSync(temporary.fd)
      } catch {
        // Already closed.
      }
      rmSync(temporary.name, { force: true })
    },
  }
}
