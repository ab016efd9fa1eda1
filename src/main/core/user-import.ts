import { createHash, randomUUID } from 'node:crypto'
import type {
  ImportBeginDto,
  ImportCodesDto,
  ImportErrorDto,
  ImportProgressDto,
  ImportRunDto,
} from '../../shared/dto'
import { AppError } from '../../shared/result'
import { INVITATION_DAYS } from '../../shared/schemas'
import type { Clock } from '../adapters/clock'
import {
  adoptImportCodes,
  advanceImportRun,
  closeRunsOfFile,
  eraseImportCodes,
  existingPeople,
  findImportRun,
  finishImportRun,
  heldImportCodes,
  holdImportCodes,
  insertImportRun,
  unfinishedImportRuns,
  type ImportRunRow,
} from '../db/queries/imports'
import { insertInvitedUsers, iterateUsersForExport } from '../db/queries/users'
import type { Store } from '../db/store'
import type { AuditLog } from './audit'
import { whyNotActOn } from '../../shared/access'
import { allowOrThrow, type Actor } from './actor'
import type { ClientInfo } from './client'
import { csvRow } from './csv'
import { checkImportFile, MAX_REPORTED_ERRORS, type AlreadyImported, type ImportRow } from './import-check'
import { invitationHash, newInvitationCode } from './invitations'
import type { PolicyService } from './policy'

export interface UserImportDeps {
  db: Store
  clock: Clock
  audit: AuditLog
  policy: PolicyService
  /** Whether a bulk re-send with this id is still running here (its held codes are not yet offered again). */
  busy?: (runId: string) => boolean
}

/** The columns of the invitations CSV an import delivers. */
export const INVITATION_COLUMNS = ['email', 'name', 'role', 'invitation_code', 'expires_at'] as const
const DAY = 24 * 60 * 60_000

/**
 * An import between its batches. The rows to go are held in main's memory; what is committed is in the
 * database: the users, the run (`import_runs`) and each new user's code until it is delivered
 * (`import_codes`). After a restart the rows are gone but nothing issued is: the same file imported again
 * skips the people already in and delivers their codes that were never delivered.
 */
interface PendingImport {
  actorId: number | null
  rows: ImportRow[]
  position: number
  imported: number
  alreadyImported: number
  skipped: ImportErrorDto[]
}

/** The columns of a users export (the Users page's Export CSV, the CLI's, a bulk export of a selection). */
export const USER_EXPORT_COLUMNS = [
  'email',
  'name',
  'role',
  'status',
  'two_factor',
  'backup_codes_left',
  'last_login_at',
] as const

/** One user as a line of the export: no secret, times in ISO 8601 (UTC). */
export const userExportRow = (u: {
  email: string
  name: string
  role: string
  status: string
  twofa_state: string
  backup_codes_left: number
  last_login_at: number | null
}): string =>
  csvRow([
    u.email,
    u.name,
    u.role,
    u.status,
    u.twofa_state,
    String(u.backup_codes_left),
    u.last_login_at === null ? '' : new Date(u.last_login_at).toISOString(),
  ])

/**
 * CSV import and export of users. Import validates the whole file first (every row with the shared
 * schemas, duplicates within the file, emails that already exist with other data) and imports nothing
 * when any row is wrong; a valid file is then imported in batches, each one transaction with its audit
 * event and its people's codes, so the caller can show progress and a crash never leaves half a batch
 * nor a committed user without a code someone can read.
 *
 * Nothing issued is lost: each new user's code is held in the database (`import_codes`, sealed on a team
 * database) from the batch's commit until the caller says it is saved (`codesDelivered`), then erased.
 * Importing the same file again resumes: a row whose person exists with the same name, role and
 * require_2fa is skipped and counted, and that person's held code (never one already delivered) comes
 * with the new run's codes.
 */
export class UserImportService {
  private readonly pending = new Map<string, PendingImport>()

  constructor(private readonly d: UserImportDeps) {}

  async begin(csv: string, actor: Actor): Promise<ImportBeginDto> {
    allowOrThrow(whyNotActOn(actor, { id: null, role: 'member' }, 'create'))
    const errors: ImportErrorDto[] = []
    const already: AlreadyImported[] = []
    const rows = await checkImportFile(csv, actor, this.d, errors, already)
    const report = {
      total: rows.length,
      errors: errors.slice(0, MAX_REPORTED_ERRORS),
      moreErrors: Math.max(0, errors.length - MAX_REPORTED_ERRORS),
      alreadyImported: already.length,
    }
    if (errors.length > 0) return { importId: null, ...report, pendingCodes: 0 }
    const importId = randomUUID()
    const { db, clock } = this.d
    // The run is recorded before any user is created; the people an earlier run of this file created
    // bring their undelivered codes into this one, which delivers them.
    const pendingCodes = await db.transaction(async () => {
      const now = clock.now()
      const fileSha256 = createHash('sha256').update(csv).digest('hex')
      await insertImportRun(db, {
        id: importId,
        actorId: actor.id,
        fileSha256,
        total: rows.length + already.length,
        already: already.length,
        now,
      })
      await closeRunsOfFile(db, fileSha256, importId, now)
      return await adoptImportCodes(
        db,
        importId,
        already.map((a) => a.userId),
      )
    })
    this.pending.set(importId, {
      actorId: actor.id,
      rows,
      position: 0,
      imported: 0,
      alreadyImported: already.length,
      skipped: [],
    })
    return { importId, ...report, pendingCodes }
  }

  /**
   * Imports the next batch in one transaction: the users, their invitations, each one's code kept for
   * delivery (`codes`), the run's progress and the audit event commit together or not at all.
   */
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
        'There is no such import in progress (it finished, or Tessera restarted). Import the same file again to finish it: the users already imported are skipped, and their codes not delivered yet are included.',
      )
    }
    const batch = job.rows.slice(job.position, job.position + batchSize)
    const skipped: ImportErrorDto[] = []
    let added = 0
    const last = job.position + batch.length >= job.rows.length
    await db.transaction(async () => {
      const now = clock.now()
      const expiresAt = now + INVITATION_DAYS * DAY
      // Someone may have added the same person since the file was checked.
      const taken = await existingPeople(
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
      const ids = await insertInvitedUsers(
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
      await holdImportCodes(
        db,
        importId,
        fresh.map((row) => ({ userId: ids.get(row.email.toLowerCase())!, code: row.code })),
      )
      await advanceImportRun(db, importId, { added: fresh.length, now, finished: last })
      added = fresh.length
      if (batch.length > 0) {
        await audit.append({
          type: 'users.imported',
          actorId: actor.id,
          data: {
            ...client,
            importId,
            count: fresh.length,
            emails: fresh.map((i) => i.email),
            skipped: skipped.length,
          },
        })
      }
    })
    // Only once the batch is committed does the job move on: a failed batch can simply be retried.
    job.position += batch.length
    job.imported += added
    job.skipped.push(...skipped)
    const done = job.position >= job.rows.length
    if (done) this.pending.delete(importId)
    return {
      done,
      imported: job.imported,
      total: job.rows.length,
      alreadyImported: job.alreadyImported,
      skipped: job.skipped,
    }
  }

  private async runOf(importId: string, actor: Actor): Promise<ImportRunRow> {
    const run = await findImportRun(this.d.db, importId)
    // Someone else's import is not found either: its codes are for the person who ran it (or whoever
    // imports the same file again, which brings them into a run of their own).
    if (!run || run.actor_id !== actor.id) throw new AppError('NOT_FOUND', 'There is no such import.')
    return run
  }

  /**
   * The codes of an import that were not delivered yet, as CSV rows (with the header when `header`).
   * A code whose invitation was since resent, or whose person activated or was deleted, is void and
   * left out. The codes stay held until `codesDelivered`.
   */
  async heldCodes(importId: string, actor: Actor, header = true): Promise<ImportCodesDto> {
    await this.runOf(importId, actor)
    const held = await heldImportCodes(this.d.db, importId)
    let csv = header ? csvRow(INVITATION_COLUMNS) : ''
    let count = 0
    for (const h of held) {
      if (h.status !== 'invited' || h.code_hash !== invitationHash(h.code) || h.expires_at === null) continue
      csv += csvRow([h.email, h.name, h.role, h.code, new Date(h.expires_at).toISOString()])
      count++
    }
    return { csv, count, through: held.at(-1)?.user_id ?? 0 }
  }

  /**
   * The codes up to `through` are saved where a person can read them (fsync'd to the CLI's output, or
   * downloaded from the console): their held copies are erased. An import whose rows are all in and
   * whose codes are all delivered is over.
   */
  async codesDelivered(
    importId: string,
    through: number,
    actor: Actor,
    client: ClientInfo,
  ): Promise<{ erased: number }> {
    const { db, audit } = this.d
    await this.runOf(importId, actor)
    return db.transaction(async () => {
      const erased = await eraseImportCodes(db, importId, through)
      if (erased > 0) {
        await audit.append({
          type: 'users.import_codes_delivered',
          actorId: actor.id,
          data: { ...client, importId, count: erased },
        })
      }
      return { erased }
    })
  }

  /** The caller's imports that stopped before the end or still hold undelivered codes. */
  async unfinished(actor: Actor): Promise<ImportRunDto[]> {
    if (actor.id === null) return []
    const runs = await unfinishedImportRuns(this.d.db, actor.id)
    return runs
      .filter((r) => !this.pending.has(r.id) && !this.d.busy?.(r.id))
      .map((r) => ({
        importId: r.id,
        startedAt: r.started_at,
        total: r.total,
        imported: r.imported,
        finished: r.finished_at !== null,
        pendingCodes: r.pending,
        kind: r.kind,
      }))
  }

  /** Gives up an unfinished import: closes it and erases its undelivered codes (resend those invitations). */
  async forget(importId: string, actor: Actor, client: ClientInfo): Promise<{ erased: number }> {
    const { db, clock, audit } = this.d
    await this.runOf(importId, actor)
    this.pending.delete(importId)
    return db.transaction(async () => {
      const erased = await eraseImportCodes(db, importId, Number.MAX_SAFE_INTEGER)
      await finishImportRun(db, importId, clock.now())
      await audit.append({
        type: 'users.import_forgotten',
        actorId: actor.id,
        data: { ...client, importId, codesErased: erased },
      })
      return { erased }
    })
  }

  /** Every user, without secrets, as CSV lines (header first), streamed from the database. */
  async *exportCsv(): AsyncGenerator<string> {
    yield csvRow(USER_EXPORT_COLUMNS)
    for await (const u of iterateUsersForExport(this.d.db)) yield userExportRow(u)
  }
}
