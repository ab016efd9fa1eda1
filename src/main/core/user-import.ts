import { randomUUID } from 'node:crypto'
import type { ZodType } from 'zod'
import type { ImportBeginDto, ImportErrorDto, ImportProgressDto } from '../../shared/dto'
import { AppError } from '../../shared/result'
import {
  emailSchema,
  IMPORT_MAX_ROWS,
  INVITATION_DAYS,
  personNameSchema,
  requireTwoFactorCellSchema,
  roleSchema,
  type Role,
} from '../../shared/schemas'
import type { Clock } from '../adapters/clock'
import { existingEmails, insertInvitedUsers, iterateUsersForExport } from '../db/queries/users'
import type { Store } from '../db/store'
import type { AuditLog } from './audit'
import { whyNotActOn } from '../../shared/access'
import { allowOrThrow, type Actor } from './actor'
import type { ClientInfo } from './client'
import { CsvSyntaxError, csvRow, parseCsv } from './csv'
import { invitationHash, newInvitationCode } from './invitations'
import type { PolicyService } from './policy'

export interface UserImportDeps {
  db: Store
  clock: Clock
  audit: AuditLog
  policy: PolicyService
}

export const IMPORT_COLUMNS = ['email', 'name', 'role', 'require_2fa'] as const
const REQUIRED_COLUMNS = ['email', 'name', 'role'] as const
/** Enough for anyone to fix a file; the count of the rest is reported. */
export const MAX_REPORTED_ERRORS = 200
const DAY = 24 * 60 * 60_000

interface ImportRow {
  line: number
  email: string
  name: string
  role: Role
  requireTwoFactor: boolean
}

interface IssuedInvitation {
  email: string
  name: string
  role: Role
  code: string
  expiresAt: number
}

/**
 * An import between its batches. Held in main's memory only: a restart loses an unfinished import (the
 * batches already committed stay, and their people need "resend invitation"), never half a batch.
 */
interface PendingImport {
  actorId: number | null
  rows: ImportRow[]
  position: number
  issued: IssuedInvitation[]
  skipped: ImportErrorDto[]
}

function checkCell<T>(
  schema: ZodType<T>,
  value: string,
  column: string,
  line: number,
  errors: ImportErrorDto[],
) {
  const parsed = schema.safeParse(value)
  if (parsed.success) return parsed.data
  errors.push({ line, column, message: parsed.error.issues[0]?.message ?? 'Invalid value' })
  return undefined
}

/**
 * CSV import and export of users. Import validates the whole file first (every row with the shared
 * schemas, duplicates within the file, emails that already exist) and imports nothing when any row is
 * wrong; a valid file is then imported in batches, each one BEGIN IMMEDIATE transaction with its audit
 * event, so the caller can show progress and a crash never leaves half a batch.
 */
export class UserImportService {
  private readonly pending = new Map<string, PendingImport>()

  constructor(private readonly d: UserImportDeps) {}

  async begin(csv: string, actor: Actor): Promise<ImportBeginDto> {
    allowOrThrow(whyNotActOn(actor, { id: null, role: 'member' }, 'create'))
    const errors: ImportErrorDto[] = []
    const rows = await this.validate(csv, actor, errors)
    const report = {
      total: rows.length,
      errors: errors.slice(0, MAX_REPORTED_ERRORS),
      moreErrors: Math.max(0, errors.length - MAX_REPORTED_ERRORS),
    }
    if (errors.length > 0) return { importId: null, ...report }
    const importId = randomUUID()
    this.pending.set(importId, { actorId: actor.id, rows, position: 0, issued: [], skipped: [] })
    return { importId, ...report }
  }

  private async validate(csv: string, actor: Actor, errors: ImportErrorDto[]): Promise<ImportRow[]> {
    let records
    try {
      records = parseCsv(csv)
    } catch (e) {
      if (e instanceof CsvSyntaxError) {
        errors.push({ line: e.line, message: e.message.replace(/^Line \d+: /, '') })
        return []
      }
      throw e
    }
    const header = records.shift()
    if (!header) {
      errors.push({ line: 1, message: `The file is empty: it needs the header ${IMPORT_COLUMNS.join(',')}` })
      return []
    }
    const columns = header.cells.map((c) => c.trim().toLowerCase())
    const unknown = columns.filter((c) => !(IMPORT_COLUMNS as readonly string[]).includes(c))
    const missing = REQUIRED_COLUMNS.filter((c) => !columns.includes(c))
    if (unknown.length || missing.length || new Set(columns).size !== columns.length) {
      errors.push({
        line: header.line,
        message: `The first line must be the header ${IMPORT_COLUMNS.join(',')} (require_2fa may be left out)${
          unknown.length ? `; unknown column ${unknown.join(', ')}` : ''
        }${missing.length ? `; missing ${missing.join(', ')}` : ''}`,
      })
      return []
    }
    if (records.length > IMPORT_MAX_ROWS) {
      errors.push({
        line: records[IMPORT_MAX_ROWS]!.line,
        message: `At most ${IMPORT_MAX_ROWS} users per file: split it`,
      })
      return []
    }
    const at = (name: string): number => columns.indexOf(name)
    const policyDefault = (await this.d.policy.get()).requireTwoFactorForNewUsers
    // Who already exists, asked for the whole file at once rather than line by line.
    const taken = await existingEmails(
      this.d.db,
      records.flatMap(({ cells }) => {
        const parsed = cells.length === columns.length ? emailSchema.safeParse(cells[at('email')]) : undefined
        return parsed?.success ? [parsed.data] : []
      }),
    )
    const seen = new Map<string, number>()
    const rows: ImportRow[] = []
    for (const { line, cells } of records) {
      if (cells.length !== columns.length) {
        errors.push({ line, message: `Expected ${columns.length} columns, found ${cells.length}` })
        continue
      }
      const before = errors.length
      const email = checkCell(emailSchema, cells[at('email')]!, 'email', line, errors)
      const name = checkCell(personNameSchema, cells[at('name')]!, 'name', line, errors)
      const role = checkCell(roleSchema, cells[at('role')]!.trim().toLowerCase(), 'role', line, errors)
      const require2fa =
        at('require_2fa') >= 0
          ? checkCell(requireTwoFactorCellSchema, cells[at('require_2fa')]!, 'require_2fa', line, errors)
          : undefined
      const refused = role && whyNotActOn(actor, { id: null, role }, 'create', role)
      if (refused) errors.push({ line, column: 'role', message: refused })
      if (email !== undefined) {
        const key = email.toLowerCase()
        const first = seen.get(key)
        if (first !== undefined) {
          errors.push({ line, column: 'email', message: `${email} is already on line ${first} of this file` })
        } else {
          seen.set(key, line)
          if (taken.has(key)) {
            errors.push({ line, column: 'email', message: `A user with the email ${email} already exists` })
          }
        }
      }
      if (errors.length === before) {
        rows.push({
          line,
          email: email!,
          name: name!,
          role: role!,
          requireTwoFactor: require2fa ?? policyDefault,
        })
      }
    }
    if (rows.length === 0 && errors.length === 0) {
      errors.push({ line: header.line, message: 'The file has a header but no users' })
    }
    return rows
  }

  /** Imports the next batch in one transaction; when the last one is in, returns the invitations once. */
  async next(
    importId: string,
    batchSize: number,
    actor: Actor,
    client: ClientInfo,
  ): Promise<ImportProgressDto> {
    const { db, clock, audit } = this.d
    const job = this.pending.get(importId)
    if (!job || job.actorId !== actor.id) {
      throw new AppError(
        'NOT_FOUND',
        'There is no such import in progress (it finished, or Tessera restarted). Users already imported stay; resend their invitations.',
      )
    }
    const batch = job.rows.slice(job.position, job.position + batchSize)
    const issued: IssuedInvitation[] = []
    const skipped: ImportErrorDto[] = []
    await db.transaction(async () => {
      const now = clock.now()
      const expiresAt = now + INVITATION_DAYS * DAY
      // Someone may have added the same person since the file was checked.
      const taken = await existingEmails(
        db,
        batch.map((row) => row.email),
      )
      const fresh: (ImportRow & { code: string })[] = []
      for (const row of batch) {
        if (taken.has(row.email.toLowerCase())) {
          skipped.push({
            line: row.line,
            column: 'email',
            message: `A user with the email ${row.email} was created during the import; skipped`,
          })
        } else fresh.push({ ...row, code: newInvitationCode() })
      }
      await insertInvitedUsers(
        db,
        fresh.map((row) => ({
          email: row.email,
          name: row.name,
          role: row.role,
          require_2fa: row.requireTwoFactor ? 1 : 0,
          codeHash: invitationHash(row.code),
        })),
        { now, expiresAt, createdBy: actor.id },
      )
      for (const row of fresh) {
        issued.push({ email: row.email, name: row.name, role: row.role, code: row.code, expiresAt })
      }
      if (batch.length > 0) {
        await audit.append({
          type: 'users.imported',
          actorId: actor.id,
          data: {
            ...client,
            importId,
            count: issued.length,
            emails: issued.map((i) => i.email),
            skipped: skipped.length,
          },
        })
      }
    })
    // Only once the batch is committed does the job move on: a failed batch can simply be retried.
    job.position += batch.length
    job.issued.push(...issued)
    job.skipped.push(...skipped)
    const done = job.position >= job.rows.length
    const progress: ImportProgressDto = {
      done,
      imported: job.issued.length,
      total: job.rows.length,
      skipped: job.skipped,
    }
    if (!done) return progress
    this.pending.delete(importId)
    return { ...progress, invitationsCsv: invitationsCsv(job.issued) }
  }

  /** Every user, without secrets, as CSV lines (header first), streamed from the database. */
  async *exportCsv(): AsyncGenerator<string> {
    yield csvRow(['email', 'name', 'role', 'status', 'two_factor', 'backup_codes_left', 'last_login_at'])
    for await (const u of iterateUsersForExport(this.d.db)) {
      yield csvRow([
        u.email,
        u.name,
        u.role,
        u.status,
        u.twofa_state,
        String(u.backup_codes_left),
        u.last_login_at === null ? '' : new Date(u.last_login_at).toISOString(),
      ])
    }
  }
}

function invitationsCsv(issued: readonly IssuedInvitation[]): string {
  let out = csvRow(['email', 'name', 'role', 'invitation_code', 'expires_at'])
  for (const i of issued)
    out += csvRow([i.email, i.name, i.role, i.code, new Date(i.expiresAt).toISOString()])
  return out
}
