import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto'

/**
 * What Tessera itself encrypts before a value reaches the database. On the desktop file the whole file
 * is encrypted, so values go in as they are. On a team database (PostgreSQL, whose administrators and
 * backups see every row) secrets and personal numbers are sealed with AES-256-GCM under the team's
 * data key. Each sealed value is bound to where it belongs (`context`, e.g. "totp:42"), so a value copied
 * onto another row — someone's TOTP secret onto another account, a phone number onto another person —
 * no longer opens.
 */
export interface Sealer {
  readonly active: boolean
  text(plain: string, context: string): string
  openText(stored: string, context: string): string
  bytes(plain: Buffer, context: string): Buffer
  openBytes(stored: Buffer, context: string): Buffer
  /** A value to find rows by without storing what they hold (a keyed hash on a team database). */
  lookupKey(plain: string): string
}

export class SealError extends Error {}

export const PLAIN: Sealer = {
  active: false,
  text: (plain) => plain,
  openText: (stored) => stored,
  bytes: (plain) => plain,
  openBytes: (stored) => stored,
  lookupKey: (plain) => plain,
}

const VERSION = 1
const TEXT_PREFIX = 's1:'

/** AES-256-GCM under a key derived from the team data key; `lookupKey` is HMAC-SHA-256 under another. */
export function teamSealer(dataKey: Buffer): Sealer {
  if (dataKey.length !== 32) throw new SealError('The team data key must be 32 bytes.')
  const encKey = Buffer.from(hkdfSync('sha256', dataKey, Buffer.alloc(0), 'tessera seal v1', 32))
  const macKey = Buffer.from(hkdfSync('sha256', dataKey, Buffer.alloc(0), 'tessera lookup v1', 32))
  const seal = (plain: Buffer, context: string): Buffer => {
    const iv = randomBytes(12)
    const cipher = createCipheriv('aes-256-gcm', encKey, iv)
    cipher.setAAD(Buffer.from(context, 'utf8'))
    const body = Buffer.concat([cipher.update(plain), cipher.final()])
    return Buffer.concat([Buffer.from([VERSION]), iv, cipher.getAuthTag(), body])
  }
  const open = (sealed: Buffer, context: string): Buffer => {
    if (sealed.length < 29 || sealed[0] !== VERSION) {
      throw new SealError(`A sealed value (${context.split(':')[0]}) is not in Tessera's format.`)
    }
    try {
      const decipher = createDecipheriv('aes-256-gcm', encKey, sealed.subarray(1, 13))
      decipher.setAAD(Buffer.from(context, 'utf8'))
      decipher.setAuthTag(sealed.subarray(13, 29))
      return Buffer.concat([decipher.update(sealed.subarray(29)), decipher.final()])
    } catch {
      throw new SealError(
        `A sealed value (${context.split(':')[0]}) does not open with the team key: it was changed or moved to another row.`,
      )
    }
  }
  return {
    active: true,
    text: (plain, context) => TEXT_PREFIX + seal(Buffer.from(plain, 'utf8'), context).toString('base64'),
    openText: (stored, context) => {
      if (!stored.startsWith(TEXT_PREFIX)) {
        throw new SealError(`A value (${context.split(':')[0]}) that should be sealed is not.`)
      }
      return open(Buffer.from(stored.slice(TEXT_PREFIX.length), 'base64'), context).toString('utf8')
    },
    bytes: (plain, context) => seal(plain, context),
    openBytes: (stored, context) => open(stored, context),
    lookupKey: (plain) => createHmac('sha256', macKey).update(plain, 'utf8').digest('hex'),
  }
}
