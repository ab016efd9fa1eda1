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
