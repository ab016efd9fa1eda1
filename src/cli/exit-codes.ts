/**
 * The CLI's exit codes: one per kind of outcome a script may want to act on. docs/cli.md prints this
 * table, and a test checks that the two agree.
 */
export const exitCodeTable = [
  {
    code: 0,
    name: 'OK',
    meaning: 'Success (login: the password, and the second factor when the account has one, were accepted).',
  },
  { code: 1, name: 'INTERNAL', meaning: 'Internal error (details with TESSERA_DEBUG=1).' },
  {
    code: 2,
    name: 'USAGE',
    meaning:
      'Usage or validation error: unknown command or option, bad or missing value, no secret on stdin, a secret given in argv, or no --as (or --key-holder) saying who runs the command.',
  },
  {
    code: 3,
    name: 'INVALID_CREDENTIALS',
    meaning:
      'The email or password is not correct (the same answer for an unknown email), also for the person named by --as.',
  },
  { code: 4, name: 'ACCOUNT_LOCKED', meaning: 'The account is locked after too many failed attempts.' },
  {
    code: 5,
    name: 'THROTTLED',
    meaning:
      'Too many failed attempts, 3 SMS codes already sent to this person this hour, or an SMS cost cap reached (per number, per person, in all): wait the number of seconds given, then retry.',
  },
  {
    code: 6,
    name: 'WEAK_PASSWORD',
    meaning: 'The new password is too short, common, or contains the email.',
  },
  {
    code: 7,
    name: 'CONFLICT',
    meaning:
      'Already exists: a database is already at that path, it already has an owner, or two-factor authentication is already on; the last active owner would be lost, or you act on your own account (disable, delete); or a recovery request is not in a state for that (a live one exists, too few checks, already approved by this agent, an approver who does not count for an admin or owner, cooling-off not over, already decided).',
  },
  { code: 8, name: 'INTEGRITY', meaning: 'The audit chain is broken, or a database check failed.' },
  {
    code: 9,
    name: 'FORBIDDEN',
    meaning:
      'The account is disabled, or the person may not do this: their role does not allow the command (a member listing users, an admin changing SMS settings), the person acted on ranks above them, or a request is about their own account.',
  },
  { code: 10, name: 'DB_NOT_FOUND', meaning: 'No database at the path (create one with tessera init).' },
  {
    code: 11,
    name: 'WRONG_KEY',
    meaning:
      'The passphrase, or the key in the keychain, does not open the database; or --key-holder was given the wrong passphrase or key.',
  },
  {
    code: 12,
    name: 'KEY_MISSING',
    meaning: "The database's key is not in the keychain (or the keyring is locked).",
  },
  {
    code: 13,
    name: 'KEYCHAIN_UNAVAILABLE',
    meaning: 'The OS keychain cannot be reached (no D-Bus session or Secret Service).',
  },
  {
    code: 14,
    name: 'PASSPHRASE_REQUIRED',
    meaning:
      'The database needs a passphrase: set TESSERA_DB_PASSPHRASE (a team database whose key this machine does not hold: TESSERA_TEAM_PASSPHRASE).',
  },
  {
    code: 15,
    name: 'NOT_TESSERA',
    meaning: 'The file is not a Tessera database (or its key information file is missing).',
  },
  { code: 16, name: 'CORRUPT', meaning: 'The database or its key information file is damaged.' },
  { code: 17, name: 'TOO_NEW', meaning: 'The database was written by a newer version of Tessera.' },
  { code: 18, name: 'OUTPUT_FAILED', meaning: 'The output file cannot be written.' },
  {
    code: 19,
    name: 'INVALID_CODE',
    meaning:
      'The authenticator, backup, SMS or temporary access code is not correct (or was already used; an SMS code also after 10 minutes or 3 tries; an access code also when replaced, revoked or expired).',
  },
  {
    code: 20,
    name: 'CODE_REPLAYED',
    meaning: 'The authenticator code was already used: wait for the next one.',
  },
  {
    code: 21,
    name: 'NO_BACKUP_CODES',
    meaning: 'Every backup code is used: sign in with the app and regenerate them, or ask for a reset.',
  },
  {
    code: 22,
    name: 'SECOND_FACTOR_REQUIRED',
    meaning:
      'The password is correct but the account has two-factor authentication: give --code or --backup-code (or --sms); with --as, the app code or a backup code on the line after the password; changing a verified emergency phone also needs --code.',
  },
  {
    code: 23,
    name: 'ENROLLMENT_REQUIRED',
    meaning:
      'Two-factor authentication is not on: the account (also one named by --as) must enroll first (tessera 2fa enroll), or has nothing to check.',
  },
  {
    code: 24,
    name: 'NOT_FOUND',
    meaning:
      'No user has that email, no enrollment or phone number is waiting for a code (it expired or was never started), no verified emergency phone for --sms, or no recovery request has that number.',
  },
  {
    code: 25,
    name: 'IMPORT_INVALID',
    meaning: 'The CSV to import has invalid rows (each named by line number): nothing was imported.',
  },
  {
    code: 26,
    name: 'SMS_NOT_SENT',
    meaning:
      'The test SMS was not sent: refused for good (e.g. an invalid number), or still queued for a retry (Twilio unreachable, busy or slow).',
  },
  {
    code: 27,
    name: 'DB_UNREACHABLE',
    meaning:
      'The PostgreSQL server of --database-url refused the connection, was not found, or did not answer.',
  },
  {
    code: 28,
    name: 'DB_AUTH_FAILED',
    meaning: 'The PostgreSQL server refused the user name or password of --database-url.',
  },
  {
    code: 29,
    name: 'DB_MISSING',
    meaning:
      'The database named in --database-url does not exist on the server (create it, then tessera init).',
  },
  {
    code: 30,
    name: 'DB_TLS_REQUIRED',
    meaning:
      'The server accepts only TLS connections (add ?sslmode=require), or the URL asks for TLS the server lacks.',
  },
  {
    code: 31,
    name: 'DB_NOT_EMPTY',
    meaning: 'tessera init --database-url was given a database that already holds other tables.',
  },
  {
    code: 32,
    name: 'EMAIL_NOT_SENT',
    meaning:
      'The test email (or an emailed code) was not sent: refused for good by the mail server (its reply is printed), or still queued for a retry (server unreachable, busy or slow).',
  },
  {
    code: 33,
    name: 'DB_NOT_WRITABLE',
    meaning:
      'The database cannot be written: its disk is full, or the file, its folder or its disk is read-only (or the disk reported an I/O error). Nothing of the command was saved: fix that and run it again.',
  },
] as const

export type ExitName = (typeof exitCodeTable)[number]['name']

export const EXIT = Object.fromEntries(exitCodeTable.map((e) => [e.name, e.code])) as {
  [E in (typeof exitCodeTable)[number] as E['name']]: E['code']
}
