import { randomBytes } from 'node:crypto'
import { closeSync, constants, existsSync, openSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { z } from 'zod'
import { DatabaseOpenError } from './errors'

/**
 * The plaintext file next to the database (`<db>.keyinfo.json`). It says where the key comes from and
 * holds only what is not secret: the database's id (the keychain account), the KDF salt and parameters,
 * and a key check value (HMAC of a fixed label under the key) that tells a wrong key from a damaged file.
 */
const kdfSchema = z.object({
  algorithm: z.literal('argon2id'),
  memoryCost: z.number().int().positive(),
  timeCost: z.number().int().positive(),
  parallelism: z.number().int().positive(),
  salt: z.string().min(16),
})
export type KdfParams = z.infer<typeof kdfSchema>

const keyInfoSchema = z.object({
  format: z.literal(1),
  databaseId: z.string().uuid(),
  keyStore: z.enum(['keychain', 'passphrase']),
  kdf: kdfSchema.optional(),
  keyCheck: z.string().regex(/^[0-9a-f]{64}$/),
})
export type KeyInfo = z.infer<typeof keyInfoSchema>

export const keyInfoPath = (dbPath: string): string => `${dbPath}.keyinfo.json`

export function readKeyInfo(dbPath: string): KeyInfo {
  const p = keyInfoPath(dbPath)
  if (!existsSync(p)) {
    throw new DatabaseOpenError(
      'NOT_TESSERA',
      `${dbPath} has no key information file (${p}); it is not a Tessera database, or that file was lost.`,
    )
  }
  let raw: unknown
  try {
    raw = JSON.parse(readFileSync(p, 'utf8'))
  } catch {
    throw new DatabaseOpenError('CORRUPT', `The key information file ${p} is not valid JSON.`)
  }
  const parsed = keyInfoSchema.safeParse(raw)
  if (!parsed.success) {
    throw new DatabaseOpenError(
      'CORRUPT',
      `The key information file ${p} is damaged or from another program.`,
    )
  }
  return parsed.data
}

/** Written to a new file of a random name (exclusive, mode 600, never through a symlink), then renamed. */
export function writeKeyInfo(dbPath: string, info: KeyInfo): void {
  const p = keyInfoPath(dbPath)
  const tmp = `${p}.${randomBytes(8).toString('hex')}.tmp`
  const fd = openSync(
    tmp,
    constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY | constants.O_NOFOLLOW,
    0o600,
  )
  try {
    writeFileSync(fd, `${JSON.stringify(info, null, 2)}\n`)
  } finally {
    closeSync(fd)
  }
  renameSync(tmp, p)
}
