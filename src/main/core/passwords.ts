import { hash, verify } from '@node-rs/argon2'
import { readFileSync } from 'node:fs'
import { AppError } from '../../shared/result'
import { newPasswordSchema } from '../../shared/schemas'

/** OWASP's minimum for Argon2id (DESIGN.md: m=19456 KiB, t=2, p=1 at least). */
export const PASSWORD_HASH_PARAMS = { memoryCost: 19456, timeCost: 2, parallelism: 1 } as const

export class PasswordHasher {
  private dummy: Promise<string> | undefined

  hash(password: string): Promise<string> {
    return hash(password, PASSWORD_HASH_PARAMS)
  }

  async verify(stored: string, password: string): Promise<boolean> {
    try {
      return await verify(stored, password)
    } catch {
      return false
    }
  }

  /**
   * Spends the same time as a real check, for an email that has no account, so the answer's timing
   * does not tell which emails exist.
   */
  async burn(password: string): Promise<void> {
    this.dummy ??= this.hash('tessera-dummy-password-for-timing')
    await this.verify(await this.dummy, password)
  }
}

export class PasswordPolicy {
  constructor(private readonly common: ReadonlySet<string>) {}

  static fromFile(path: string): PasswordPolicy {
    const words = readFileSync(path, 'utf8')
      .split('\n')
      .map((w) => w.trim())
      .filter(Boolean)
    return new PasswordPolicy(new Set(words))
  }

  /** Throws WEAK_PASSWORD with a reason the person can act on. */
  check(password: string, person: { email: string; name?: string }): void {
    const parsed = newPasswordSchema.safeParse(password)
    if (!parsed.success) {
      throw new AppError('WEAK_PASSWORD', parsed.error.issues[0]?.message ?? 'Choose another password', {
        fields: { password: parsed.error.issues[0]?.message ?? 'Choose another password' },
      })
    }
    const lower = password.toLowerCase()
    const reject = (message: string): never => {
      throw new AppError('WEAK_PASSWORD', message, { fields: { password: message } })
    }
    if (this.common.has(lower)) reject('This password is in a list of common passwords; choose another.')
    if (/^(.)\1+$/.test(password)) reject('A password of one repeated character is too easy to guess.')
    const email = person.email.toLowerCase()
    const local = email.split('@')[0] ?? ''
    if (lower === email || (local.length >= 4 && lower.includes(local))) {
      reject('A password must not contain your email address.')
    }
  }
}
