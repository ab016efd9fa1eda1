import { randomInt } from 'node:crypto'

/**
 * Backup codes like `7KQ2M-XD94P`: 10 symbols from 32 that cannot be mistaken for one another (no 0, 1,
 * I, O), so 50 bits each. Stored only as salted Argon2id hashes; shown once.
 */
export const BACKUP_CODE_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ'
export const BACKUP_CODE_COUNT = 5
export const BACKUP_CODE_LENGTH = 10
export const BACKUP_CODE_BITS = BACKUP_CODE_LENGTH * Math.log2(BACKUP_CODE_ALPHABET.length)

export function newBackupCode(): string {
  let raw = ''
  for (let i = 0; i < BACKUP_CODE_LENGTH; i++)
    raw += BACKUP_CODE_ALPHABET[randomInt(BACKUP_CODE_ALPHABET.length)]
  return `${raw.slice(0, 5)}-${raw.slice(5)}`
}

/**
 * What a person typed, in the stored form: case, spaces and dashes ignored. Returns null when it cannot
 * be a backup code, so nothing is hashed for obvious garbage.
 */
export function normalizeBackupCode(input: string): string | null {
  const raw = input.toUpperCase().replace(/[\s-]/g, '')
  if (raw.length !== BACKUP_CODE_LENGTH) return null
  for (const ch of raw) if (!BACKUP_CODE_ALPHABET.includes(ch)) return null
  return `${raw.slice(0, 5)}-${raw.slice(5)}`
}
