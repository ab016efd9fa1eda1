import { randomUUID } from 'node:crypto'
import { isDualControlled, whyNotActOn, type PersonAction } from '../../shared/access'
import type { BulkPreviewDto, BulkProgressDto, BulkReasonCountDto } from '../../shared/dto'
import { AppError } from '../../shared/result'
import type { BulkAction, BulkTarget, Role } from '../../shared/schemas'
import type { Clock } from '../adapters/clock'
import { listUsers, sortKeyOf, type UserListRow } from '../db/queries/user-list'
import { advanceImportRun, finishImportRun, holdResentCode, insertImportRun } from '../db/queries/imports'
import { findUserById } from '../db/queries/users'
import type { Store } from '../db/store'
import { allowOrThrow, dualControlRoleOf, type Actor } from './actor'
import type { AuditLog } from './audit'
import type { ClientInfo } from './client'
import { csvRow } from './csv'
import type { TwoFactorService } from './two-factor'
import { INVITATION_COLUMNS, USER_EXPORT_COLUMNS, userExportRow } from './user-import'
import type { UserAdminService } from './users'

export interface BulkDeps {
  db: Store
  clock: Clock
  audit: AuditLog
  users: UserAdminService
  twoFactor: TwoFactorService
}

/** Users per write transaction: a crash leaves whole batches done, and progress moves every batch. */
export const BULK_BATCH = 500
/** Rows per read while finding everyone a filter matches. */
const READ_PAGE = 1000
/** A finished job's result stays this long for its caller to fetch. */
const KEEP_FINISHED_MS = 60 * 60_000

/** The rule a bulk action is checked against, per person: the single action's own. */
const personAction: Record<Exclude<BulkAction, 'export'>, PersonAction> = {
  'require-2fa': 'require-2fa',
  'stop-requiring-2fa': 'require-2fa',
  'resend-invitation': 'reinvite',
  'reset-2fa': 'reset-2fa',
  disable: 'disable',
}

/** What the reasons to leave someone alone need to know about them. */
interface Subject {
  id: number
  role: Role
  /** The role the two-person rule treats them as (see dualControlRoleOf). */
  dualRole: Role
  status: 'invited' | 'active' | 'disabled'
  required: boolean
  enrolled: boolean
}

export const DUAL_CONTROL_SKIP =
  "An admin's or owner's 2FA is reset only with two approvers: reset it from their page"

/**
 * Why a bulk action leaves this person alone (null: it acts on them). First the rules of who may act on
 * whom, in their own words, then whether the action means anything for them.
 */
export function whyBulkSkips(actor: Actor, s: Subject, action: BulkAction): string | null {
  if (action === 'export') return null
  const why = whyNotActOn(actor, s, personAction[action])
  if (why) return why
  switch (action) {
    case 'require-2fa':
      return s.required ? '2FA is already required' : null
    case 'stop-requiring-2fa':
      return s.required ? null : '2FA is not required'
    case 'resend-invitation':
      return s.status === 'invited' ? null : 'Already activated the account'
    case 'reset-2fa':
      if (!s.enrolled) return 'Has no 2FA set up'
      // Bulk never files dozens of recovery requests: the two-person rule is worked one person at a time.
      return isDualControlled(s.dualRole) ? DUAL_CONTROL_SKIP : null
    case 'disable':
      if (actor.id !== null && s.id === actor.id) return 'You cannot disable your own account'
      return s.status === 'disabled' ? 'Already disabled' : null
  }
}

const fromListRow = (r: UserListRow): Subject => ({
  id: r.id,
  role: r.role,
  dualRole: r.role,
  status: r.status,
  required: r.require_2fa === 1,
  enrolled: r.twofa_state === 'enrolled',
})

class Tally {
  private readonly counts = new Map<string, number>()
  add(reason: string, n = 1): void {
    this.counts.set(reason, (this.counts.get(reason) ?? 0) + n)
  }
  merge(other: Tally): void {
    for (const [reason, n] of other.counts) this.add(reason, n)
  }
  get total(): number {
    let t = 0
    for (const n of this.counts.values()) t += n
    return t
  }
  list(): BulkReasonCountDto[] {
    return [...this.counts].map(([reason, count]) => ({ reason, count })).sort((a, b) => b.count - a.count)
  }
}

interface Job {
  id: string
  actor: Actor
  action: BulkAction
  ids: number[]
  processed: number
  done: number
  skipped: Tally
  failed: Tally
  finished: boolean
  finishedAt: number | null
  csv: string[] | null
  codes: string[]
  /** The highest user id among the codes held for this job: what the caller confirms as saved. */
  through: number
  run: Promise<void>
}

/** What one batch did, merged into its job only once the batch has committed. */
interface BatchResult {
  done: number
  skipped: Tally
  failed: Tally
  csv: string[]
  codes: string[]
  through: number
}

const newBatchResult = (): BatchResult => ({
  done: 0,
  skipped: new Tally(),
  failed: new Tally(),
  csv: [],
  codes: [],
  through: 0,
})

/**
 * One action on many users at once: the people picked, everyone a Users filter matches, or everyone with
 * a role. It runs here in main in batches, one write transaction each, and the caller asks how far it is.
 * Each person goes through the single action's own use case (so its rules and its audit event are the
 * same) after the same rules say whether to act on them at all; the ones left alone are counted by reason.
 */
export class BulkActionService {
  private readonly jobs = new Map<string, Job>()

  constructor(private readonly d: BulkDeps) {}

  /** Whom a target means now: the people picked, in their order, or everyone matching, by email. */
  private async resolve(target: BulkTarget): Promise<UserListRow[] | number[]> {
    const { db, clock } = this.d
    if (target.kind === 'ids') return [...new Set(target.ids)]
    const rows: UserListRow[] = []
    let after: { key: string | number; id: number } | undefined
    for (;;) {
      const page = await listUsers(db, {
        search: target.search || undefined,
        filter: target.filter,
        role: target.role,
        sort: 'email',
        after,
        limit: READ_PAGE,
        now: clock.now(),
      })
      rows.push(...page)
      const last = page.at(-1)
      if (page.length < READ_PAGE || !last) return rows
      after = { key: sortKeyOf(last, 'email'), id: last.id }
    }
  }

  /** One user as the Users list shows them (undefined: no such user). */
  private async listRow(userId: number): Promise<UserListRow | undefined> {
    const rows = await listUsers(this.d.db, { sort: 'email', limit: 1, now: this.d.clock.now(), userId })
    return rows[0]
  }

  /** Anyone who may manage users may run a bulk action; who they may act on is checked per person. */
  private authorize(actor: Actor, action: BulkAction): void {
    const rule = action === 'export' ? 'create' : personAction[action]
    allowOrThrow(whyNotActOn(actor, { id: null, role: 'member' }, rule))
  }

  async preview(target: BulkTarget, action: BulkAction, actor: Actor): Promise<BulkPreviewDto> {
    this.authorize(actor, action)
    const resolved = await this.resolve(target)
    const skipped = new Tally()
    let total = 0
    for (const item of resolved) {
      const row = typeof item === 'number' ? await this.listRow(item) : item
      total++
      if (!row) {
        skipped.add('No such user')
        continue
      }
      const why = whyBulkSkips(actor, fromListRow(row), action)
      if (why) skipped.add(why)
    }
    return { total, willAct: total - skipped.total, skipped: skipped.list() }
  }

  /** Starts the job (it runs on in main) and answers with its first progress. */
  async start(
    target: BulkTarget,
    action: BulkAction,
    actor: Actor,
    client: ClientInfo,
  ): Promise<BulkProgressDto> {
    this.authorize(actor, action)
    this.forgetOld()
    const resolved = await this.resolve(target)
    const ids = resolved.map((r) => (typeof r === 'number' ? r : r.id))
    const job: Job = {
      id: randomUUID(),
      actor,
      action,
      ids,
      processed: 0,
      done: 0,
      skipped: new Tally(),
      failed: new Tally(),
      finished: false,
      finishedAt: null,
      csv: action === 'export' ? [csvRow(USER_EXPORT_COLUMNS)] : null,
      codes: [],
      through: 0,
      run: Promise.resolve(),
    }
    this.jobs.set(job.id, job)
    const { db, clock } = this.d
    await db.transaction(async () => {
      // A re-send is a run of held codes, like an import: each batch keeps its new codes in the database
      // until the caller says they are saved, so a crash before the hand-over loses none.
      if (action === 'resend-invitation') {
        await insertImportRun(db, {
          id: job.id,
          kind: 'resend',
          actorId: actor.id,
          fileSha256: '',
          total: ids.length,
          already: 0,
          now: clock.now(),
        })
      }
      await this.d.audit.append({
        type: 'users.bulk_started',
        actorId: actor.id,
        data: { ...client, bulkId: job.id, action, count: ids.length, target: describe(target) },
      })
    })
    job.run = this.run(job, client)
    return this.snapshot(job, false)
  }

  /** How far the caller's job is. A job is its starter's: anyone else's is not found. */
  progress(jobId: string, actor: Actor): BulkProgressDto {
    const job = this.jobs.get(jobId)
    if (!job || job.actor.id !== actor.id) throw new AppError('NOT_FOUND', 'There is no such bulk action.')
    return this.snapshot(job, true)
  }

  /** Whether this job is running in this process (its run is not interrupted, only under way). */
  isRunning(jobId: string): boolean {
    const job = this.jobs.get(jobId)
    return job !== undefined && !job.finished
  }

  /** Resolves once the job is over (the CLI and tests wait for it; the console asks for progress). */
  async settled(jobId: string): Promise<void> {
    await this.jobs.get(jobId)?.run
  }

  private snapshot(job: Job, handOver: boolean): BulkProgressDto {
    const codes =
      job.finished && job.codes.length > 0 ? csvRow(INVITATION_COLUMNS) + job.codes.join('') : null
    // The first answer after the end carries the codes and main's memory lets them go; the database
    // holds them (`import_codes`) until the caller confirms them saved (`users.importCodesSaved` with
    // `invitationsThrough`), and offers them again after a restart until then.
    if (codes && handOver) job.codes = []
    return {
      jobId: job.id,
      action: job.action,
      total: job.ids.length,
      processed: job.processed,
      done: job.done,
      skipped: job.skipped.list(),
      failed: job.failed.list(),
      finished: job.finished,
      csv: job.finished && job.csv ? job.csv.join('') : null,
      invitationsCsv: handOver ? codes : null,
      invitationsThrough: handOver && codes ? job.through : null,
    }
  }

  private forgetOld(): void {
    const now = this.d.clock.now()
    for (const [id, job] of this.jobs) {
      if (job.finishedAt !== null && now - job.finishedAt > KEEP_FINISHED_MS) this.jobs.delete(id)
    }
  }

  private async run(job: Job, client: ClientInfo): Promise<void> {
    const { db, audit } = this.d
    // Every person's event names the bulk action it was part of.
    const tagged = { ...client, bulkId: job.id } as ClientInfo
    try {
      for (let i = 0; i < job.ids.length; i += BULK_BATCH) {
        const batch = job.ids.slice(i, i + BULK_BATCH)
        let result = newBatchResult()
        try {
          await db.transaction(async () => {
            for (const id of batch) await this.one(job, id, tagged, result, true)
            await this.advance(job, batch.length)
          })
        } catch {
          // Someone in the batch could not be done: the batch rolled back whole, and goes again one
          // person per transaction, so that person fails alone.
          result = newBatchResult()
          for (const id of batch) await this.one(job, id, tagged, result, false)
          await this.advance(job, batch.length)
        }
        job.processed += batch.length
        job.done += result.done
        job.skipped.merge(result.skipped)
        job.failed.merge(result.failed)
        job.csv?.push(...result.csv)
        job.codes.push(...result.codes)
        job.through = Math.max(job.through, result.through)
        // Lets progress calls (and the rest of main) in between batches.
        await new Promise((resolve) => setImmediate(resolve))
      }
    } catch (e) {
      // What was not reached counts as failed, with the reason the run stopped.
      job.failed.add(
        e instanceof AppError ? e.message : 'The action stopped before the end: run it again for the rest.',
        job.ids.length - job.processed,
      )
    } finally {
      job.finished = true
      job.finishedAt = this.d.clock.now()
      if (job.action === 'resend-invitation')
        await finishImportRun(db, job.id, job.finishedAt).catch(() => undefined)
      await audit
        .append({
          type: 'users.bulk_finished',
          actorId: job.actor.id,
          data: {
            ...client,
            bulkId: job.id,
            action: job.action,
            count: job.ids.length,
            done: job.done,
            skipped: job.skipped.total,
            failed: job.failed.total,
          },
        })
        .catch(() => undefined)
    }
  }

  /** A re-send's run records how far it got, so the console can say so after a crash. */
  private async advance(job: Job, added: number): Promise<void> {
    if (job.action !== 'resend-invitation') return
    await advanceImportRun(this.d.db, job.id, { added, now: this.d.clock.now(), finished: false })
  }

  /**
   * One person. Inside a batch (`inBatch`) a failure is thrown, to roll the batch back; alone, it runs
   * in its own transaction and a failure is counted with the single action's own message.
   */
  private async one(
    job: Job,
    id: number,
    client: ClientInfo,
    out: BatchResult,
    inBatch: boolean,
  ): Promise<void> {
    const { db } = this.d
    try {
      await db.transaction(async () => {
        const outcome = await this.apply(job, id, client, out)
        if (outcome !== 'done') out.skipped.add(outcome)
        else out.done++
      })
    } catch (e) {
      if (inBatch) throw e
      out.failed.add(e instanceof AppError ? e.message : 'Could not be changed: try again.')
    }
  }

  /** Acts on one person (in the caller's transaction): 'done', or why they were left alone. */
  private async apply(job: Job, id: number, client: ClientInfo, out: BatchResult): Promise<string> {
    const { db, clock, users, twoFactor } = this.d
    const { actor, action } = job
    if (action === 'export') {
      const row = await this.listRow(id)
      if (!row) return 'No such user'
      out.csv.push(userExportRow(row))
      return 'done'
    }
    const u = await findUserById(db, id)
    if (!u) return 'No such user'
    const why = whyBulkSkips(
      actor,
      {
        id: u.id,
        role: u.role,
        dualRole: dualControlRoleOf(u, clock.now()),
        status: u.status,
        required: u.require_2fa === 1,
        enrolled: action === 'reset-2fa' && (await twoFactor.isEnrolled(id)),
      },
      action,
    )
    if (why) return why
    switch (action) {
      case 'require-2fa':
      case 'stop-requiring-2fa':
        await users.setRequireTwoFactor(id, action === 'require-2fa', actor, client)
        break
      case 'resend-invitation': {
        const inv = await users.resendInvitation(id, actor, client)
        if (inv.code !== null) {
          // Held in the same transaction as the invitation it belongs to: committed together or not at all.
          await holdResentCode(db, job.id, id, inv.code)
          out.through = Math.max(out.through, id)
          out.codes.push(csvRow([u.email, u.name, u.role, inv.code, new Date(inv.expiresAt).toISOString()]))
        }
        break
      }
      case 'reset-2fa': {
        const { pendingRequestId } = await users.resetTwoFactor(id, actor, client)
        // Never expected (the two-person cases are skipped above); a request filed is not a reset done.
        if (pendingRequestId !== null) return DUAL_CONTROL_SKIP
        break
      }
      case 'disable':
        await users.setDisabled(id, true, actor, client)
        break
    }
    return 'done'
  }
}

/** The target as the audit trail records it (ids are counted, not listed: each person's event names them). */
function describe(target: BulkTarget): Record<string, unknown> {
  if (target.kind === 'ids') return { kind: 'selected' }
  return {
    kind: 'matching',
    ...(target.search ? { search: target.search } : {}),
    ...(target.filter ? { filter: target.filter } : {}),
    ...(target.role ? { role: target.role } : {}),
  }
}
