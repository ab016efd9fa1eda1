/**
 * Every value a team database keeps sealed, and the context each is bound to (its row's owner). The
 * query functions and the copy from a file (`db copy`) both use these, so they agree by construction.
 */
export const sealedAt = {
  totp: (userId: number) => `totp:${userId}`,
  totpPending: (userId: number) => `totp_pending:${userId}`,
  phone: (userId: number) => `phone:${userId}`,
  phonePending: (userId: number) => `phone_pending:${userId}`,
  smsCode: (userId: number) => `sms_code:${userId}`,
  smsTo: (userId: number | null) => `sms_to:${userId ?? '-'}`,
  smsBody: (userId: number | null) => `sms_body:${userId ?? '-'}`,
  emailTo: (userId: number | null) => `email_to:${userId ?? '-'}`,
  emailBody: (userId: number | null, part: 'text' | 'html') => `email_${part}:${userId ?? '-'}`,
  recovery: (userId: number, field: 'message' | 'contact') => `recovery_${field}:${userId}`,
  recoveryNote: (requestId: number) => `recovery_note:${requestId}`,
  importCode: (userId: number) => `import_code:${userId}`,
  setting: (key: string) => `setting:${key}`,
} as const

/** Where Twilio's auth token is kept when no keychain holds it. */
export const TWILIO_TOKEN_SETTING = 'sms.twilio_auth_token'

/** Where the SMTP password is kept when no keychain holds it. */
export const SMTP_PASSWORD_SETTING = 'email.smtp_password'

/** Settings whose value is a secret: sealed on a team database. */
export const SECRET_SETTINGS = [TWILIO_TOKEN_SETTING, SMTP_PASSWORD_SETTING] as const
