import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import { BACKUP_CODE_ALPHABET } from './backup-codes'

/**
 * Invitation codes: 26 symbols of the look-alike-free alphabet (130 bits), in groups for reading aloud,
 * e.g. `K7Q2M-XD94P-…-R8`. Stored as SHA-256 only: at this strength a fast hash is enough.
 */
export const INVITATION_SYMBOLS = 26

export function newInvitationCode(): string {
  const bytes = randomBytes(INVITATION_SYMBOLS)
  let raw = ''
  // 256 is a multiple of 32, so `byte % 32` is uniform.
  for (const b of bytes) raw += BACKUP_CODE_ALPHABET[b % BACKUP_CODE_ALPHABET.length]
  return raw.match(/.{1,5}/g)!.join('-')
}

export const normalizeInvitationCode = (typed: string): string => typed.toUpperCase().replace(/[\s-]/g, '')

export const invitationHash = (code: string): string =>
  createHash('sha256').update(normalizeInvitationCode(code)).digest('hex')

export function invitationMatches(typed: string, storedHash: string): boolean {
  const a = Buffer.from(invitationHash(typed), 'hex')
  const b = Buffer.from(storedHash, 'hex')
  return a.length === b.length && timingSafeEqual(a, b)
}

/**
 * Why a stored one-time code (an access or reset code) found by its hash cannot be used now, or null
 * when it can: not found, used, revoked or expired — for the audit trail, never for the person.
 */
export function codeUnusable(
  row: { used_at: number | null; revoked_at: number | null; expires_at: number } | undefined,
  now: number,
): 'wrong_code' | 'used' | 'revoked' | 'expired' | null {
  if (!row) return 'wrong_code'
  if (row.used_at !== null) return 'used'
  if (row.revoked_at !== null) return 'revoked'
  return row.expires_at <= now ? 'expired' : null
}
