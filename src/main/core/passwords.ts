import { hash, verify } from '../adapters/argon2'
import { readFileSync } from 'node:fs'
import { minPasswordLength } from '../../shared/access'
import { AppError } from '../../shared/result'
import { PASSWORD_MAX_LENGTH } from '../../shared/schemas'

/** OWASP's minimum for Argon2id: m=19456 KiB, t=2, p=1. */
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
  private common: ReadonlySet<string> | undefined
  private readonly loadCommon: () => ReadonlySet<string>

  /** The common passwords, or how to read them when the first password is checked. */
  constructor(common: ReadonlySet<string> | (() => ReadonlySet<string>)) {
    this.loadCommon = typeof common === 'function' ? common : () => common
  }

  /**
   * The list is read when a password is first checked: 44,000 lines cost a command that sets no password
   * (most of them) about 20 ms of its start.
   */
  static fromFile(path: string): PasswordPolicy {
    return new PasswordPolicy(() => {
      const words = readFileSync(path, 'utf8')
        .split('\n')
        .map((w) => w.trim())
        .filter(Boolean)
      return new Set(words)
    })
  }

  /**
   * Throws WEAK_PASSWORD with a reason the person can act on. `passwordAlone`: the password will be all
   * that signs the account in (no second factor on or required), so it must be longer (NIST SP 800-63B
   * rev. 4: 15 characters rather than 12).
   */
  check(
    password: string,
    person: { email: string; name?: string },
    /** `field`: the form field the reason belongs to (default `password`). */
    options: { passwordAlone: boolean; field?: string },
  ): void {
    const reject = (message: string): never => {
      throw new AppError('WEAK_PASSWORD', message, { fields: { [options.field ?? 'password']: message } })
    }
    const length = [...password].length
    if (length > PASSWORD_MAX_LENGTH) reject(`A password has at most ${PASSWORD_MAX_LENGTH} characters`)
    const lower = password.toLowerCase()
    // A common password is refused whatever its length: lengthening it would not help.
    if ((this.common ??= this.loadCommon()).has(lower))
      reject('This password is in a list of common passwords; choose another.')
    const min = minPasswordLength(options.passwordAlone)
    if (length < min) {
      reject(
        options.passwordAlone
          ? `Use at least ${min} characters: this password will be the only thing that protects the account until two-factor authentication is on.`
          : `Use at least ${min} characters`,
      )
    }
    if (/^(.)\1+$/.test(password)) reject('A password of one repeated character is too easy to guess.')
    const email = person.email.toLowerCase()
    const local = email.split('@')[0] ?? ''
    if (lower === email || (local.length >= 4 && lower.includes(local))) {
      reject('A password must not contain your email address.')
    }
  }
}
