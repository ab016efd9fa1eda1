import { z } from 'zod'

// What several areas of the contract share: roles, names, email addresses, passwords, the signed-in user.

export const roles = ['owner', 'admin', 'support', 'member'] as const
export type Role = (typeof roles)[number]
export const roleSchema = z.enum(roles)

export const PASSWORD_MIN_LENGTH = 12
export const PASSWORD_MAX_LENGTH = 256

export const emailSchema = z
  .string()
  .trim()
  .min(3, 'Enter an email address')
  .max(254, 'An email address has at most 254 characters')
  .pipe(z.email('Enter a valid email address'))

export const personNameSchema = z
  .string()
  .trim()
  .min(1, 'Enter a name')
  .max(120, 'A name has at most 120 characters')

/** A password being checked: any non-empty string of bounded size (the policy applies only to new ones). */
export const passwordSchema = z
  .string()
  .min(1, 'Enter your password')
  .max(PASSWORD_MAX_LENGTH, `A password has at most ${PASSWORD_MAX_LENGTH} characters`)

/** A password being chosen. The common-password check runs in main, where the list lives. */
export const newPasswordSchema = z
  .string()
  .min(PASSWORD_MIN_LENGTH, `Use at least ${PASSWORD_MIN_LENGTH} characters`)
  .max(PASSWORD_MAX_LENGTH, `A password has at most ${PASSWORD_MAX_LENGTH} characters`)

export const emptyInputSchema = z.object({}).strict()

export interface SessionUser {
  id: number
  email: string
  name: string
  role: Role
}
