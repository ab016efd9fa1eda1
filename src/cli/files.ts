import { randomBytes } from 'node:crypto'
import {
  closeSync,
  constants,
  createWriteStream,
  fstatSync,
  fsyncSync,
  openSync,
  readSync,
  renameSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs'
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

/** Where what must not be lost goes, piece by piece: each `append` returns once the text is durable. */
export interface DurableOutput {
  append(text: string): Promise<void>
  close(): void
}

/**
 * A file that grows by appends, each written and fsync'd before `append` returns: a crash at any moment
 * leaves everything appended so far on disk. A new file is created readable only by its owner, with
 * `header` as its first line; an existing one (an earlier, interrupted run's output) must be a regular
 * file that begins with `header`, and is added to. A symlink is never followed.
 */
export function openAppendOnlyFile(path: string, header: string): DurableOutput {
  let fd: number
  try {
    fd = openSync(
      path,
      constants.O_CREAT | constants.O_RDWR | constants.O_APPEND | constants.O_NOFOLLOW,
      0o600,
    )
  } catch (e) {
    throw outputFailed(path, e)
  }
  try {
    const stat = fstatSync(fd)
    if (!stat.isFile()) throw new Error('it is not a regular file')
    if (stat.size === 0) {
      writeSync(fd, header)
      fsyncSync(fd)
    } else {
      const start = Buffer.alloc(Buffer.byteLength(header))
      const read = readSync(fd, start, 0, start.length, 0)
      if (read !== start.length || start.toString('utf8') !== header) {
        throw new Error(`it exists and does not begin with the header ${header.trim()}; choose another file`)
      }
    }
  } catch (e) {
    closeSync(fd)
    throw outputFailed(path, e)
  }
  return {
    append: (text) => {
      try {
        writeSync(fd, text)
        fsyncSync(fd)
      } catch (e) {
        throw outputFailed(path, e)
      }
      return Promise.resolve()
    },
    close: () => closeSync(fd),
  }
}

/**
 * Standard output as a durable output, as far as it can be: each append is handed to whatever reads it
 * (and fsync'd when stdout is a file) before `append` returns.
 */
export function stdoutOutput(): DurableOutput {
  return {
    append: (text) =>
      new Promise<void>((resolve, reject) => {
        process.stdout.write(text, (e) => {
          if (e) return reject(outputFailed('standard output', e))
          try {
            fsyncSync(1)
          } catch {
            // A pipe or a terminal: it has what was written.
          }
          resolve()
        })
      }),
    close: () => undefined,
  }
}
