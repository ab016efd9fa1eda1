import type { Role } from '../../../shared/schemas'
import { sealedAt } from '../sealed'
import type { Store } from '../store'

const CHUNK = 500

/** The people with these emails (case-insensitive), by lower-cased email: what an import compares a row with. */
export async function existingPeople(
  db: Store,
  emails: readonly string[],
): Promise<Map<string, { id: number; name: string; role: Role; require_2fa: 0 | 1 }>> {
  const found = new Map<string, { id: number; name: string; role: Role; require_2fa: 0 | 1 }>()
  for (let i = 0; i < emails.length; i += CHUNK) {
    const rows = await db.q
      .selectFrom('users')
      .select(['id', 'email', 'name', 'role', 'require_2fa'])
      .where('email', 'in', emails.slice(i, i + CHUNK))
      .execute()
    for (const r of rows) {
      found.set(r.email.toLowerCase(), {
        id: Number(r.id),
        name: r.name,
        role: r.role,
        require_2fa: Number(r.require_2fa) as 0 | 1,
      })
    }
  }
  return found
}

export async function insertImportRun(
  db: Store,
  r: {
    id: string
    actorId: number | null
    fileSha256: string
    total: number
    already: number
    now: number
    kind?: 'import' | 'resend'
  },
): Promise<void> {
  await db.q
    .insertInto('import_runs')
    .values({
      id: r.id,
      kind: r.kind ?? 'import',
      actor_id: r.actorId,
      file_sha256: r.fileSha256,
      total: r.total,
      imported: r.already,
      already: r.already,
      started_at: r.now,
      updated_at: r.now,
    })
    .execute()
}

/** Earlier runs of the same file that never finished: the new run takes over from them. */
export async function closeRunsOfFile(
  db: Store,
  fileSha256: string,
  except: string,
  now: number,
): Promise<void> {
  await db.q
    .updateTable('import_runs')
    .set({ finished_at: now, updated_at: now })
    .where('file_sha256', '=', fileSha256)
    .where('finished_at', 'is', null)
    .where('id', '!=', except)
    .execute()
}

export async function advanceImportRun(
  db: Store,
  id: string,
  o: { added: number; now: number; finished: boolean },
): Promise<void> {
  await db.q
    .updateTable('import_runs')
    .set((eb) => ({
      imported: eb('imported', '+', o.added),
      updated_at: o.now,
      ...(o.finished ? { finished_at: o.now } : {}),
    }))
    .where('id', '=', id)
    .execute()
}

export async function finishImportRun(db: Store, id: string, now: number): Promise<void> {
  await db.q
    .updateTable('import_runs')
    .set({ finished_at: now, updated_at: now })
    .where('id', '=', id)
    .where('finished_at', 'is', null)
    .execute()
}

export interface ImportRunRow {
  id: string
  actor_id: number | null
  file_sha256: string
  total: number
  imported: number
  started_at: number
  finished_at: number | null
  kind: 'import' | 'resend'
  pending: number
}

const runColumns = [
  'id',
  'actor_id',
  'file_sha256',
  'total',
  'imported',
  'started_at',
  'finished_at',
  'kind',
] as const

/** Import runs with the number of codes each still holds. */
const runsWithPending = (db: Store) =>
  db.q
    .selectFrom('import_runs as r')
    .select(runColumns.map((c) => `r.${c}` as const))
    .select((eb) =>
      eb
        .selectFrom('import_codes as c')
        .select(eb.fn.countAll().as('n'))
        .whereRef('c.run_id', '=', 'r.id')
        .as('pending'),
    )

export async function findImportRun(db: Store, id: string): Promise<ImportRunRow | undefined> {
  const row = await runsWithPending(db).where('r.id', '=', id).executeTakeFirst()
  return row && { ...row, pending: Number(row.pending ?? 0) }
}

/**
 * A person's imports that stopped before the end, or whose codes were not delivered yet; newest first.
 * A re-send is offered only while it holds codes: there is no rest of it to finish.
 */
export async function unfinishedImportRuns(db: Store, actorId: number): Promise<ImportRunRow[]> {
  const rows = await runsWithPending(db)
    .where('r.actor_id', '=', actorId)
    .where((eb) =>
      eb.or([
        eb.and([eb('r.finished_at', 'is', null), eb('r.kind', '=', 'import')]),
        eb.exists(eb.selectFrom('import_codes as c').select('c.user_id').whereRef('c.run_id', '=', 'r.id')),
      ]),
    )
    .orderBy('r.started_at', 'desc')
    .limit(20)
    .execute()
  return rows.map((r) => ({ ...r, pending: Number(r.pending ?? 0) }))
}

/** Keeps each new user's invitation code (sealed on a team database) until it is delivered. */
export async function holdImportCodes(
  db: Store,
  runId: string,
  codes: readonly { userId: number; code: string }[],
): Promise<void> {
  for (let i = 0; i < codes.length; i += CHUNK) {
    await db.q
      .insertInto('import_codes')
      .values(
        codes.slice(i, i + CHUNK).map((c) => ({
          user_id: c.userId,
          run_id: runId,
          code: db.seal.text(c.code, sealedAt.importCode(c.userId)),
        })),
      )
      .execute()
  }
}

/**
 * Keeps a re-sent invitation's code (sealed on a team database) until it is delivered. It replaces any
 * code still held for that person: their earlier invitation stopped working when this one was issued.
 */
export async function holdResentCode(db: Store, runId: string, userId: number, code: string): Promise<void> {
  const sealed = db.seal.text(code, sealedAt.importCode(userId))
  await db.q
    .insertInto('import_codes')
    .values({ user_id: userId, run_id: runId, code: sealed })
    .onConflict((oc) => oc.column('user_id').doUpdateSet({ run_id: runId, code: sealed }))
    .execute()
}

/** Moves these people's undelivered codes (from an interrupted run) to the run that resumes it. */
export async function adoptImportCodes(
  db: Store,
  runId: string,
  userIds: readonly number[],
): Promise<number> {
  let moved = 0
  for (let i = 0; i < userIds.length; i += CHUNK) {
    const r = await db.q
      .updateTable('import_codes')
      .set({ run_id: runId })
      .where('user_id', 'in', userIds.slice(i, i + CHUNK))
      .executeTakeFirst()
    moved += Number(r.numUpdatedRows)
  }
  return moved
}

export interface HeldCode {
  user_id: number
  email: string
  name: string
  role: Role
  status: 'invited' | 'active' | 'disabled'
  code: string
  /** The person's current invitation: a code whose hash differs was replaced (resent) and is void. */
  code_hash: string | null
  expires_at: number | null
}

/** A run's undelivered codes, opened, in the order the people were created. */
export async function heldImportCodes(db: Store, runId: string): Promise<HeldCode[]> {
  const rows = await db.q
    .selectFrom('import_codes as c')
    .innerJoin('users as u', 'u.id', 'c.user_id')
    .leftJoin('invitations as i', 'i.user_id', 'c.user_id')
    .select(['c.user_id', 'c.code', 'u.email', 'u.name', 'u.role', 'u.status', 'i.code_hash', 'i.expires_at'])
    .where('c.run_id', '=', runId)
    .orderBy('c.user_id')
    .execute()
  return rows.map((r) => ({
    ...r,
    user_id: Number(r.user_id),
    code: db.seal.openText(r.code, sealedAt.importCode(Number(r.user_id))),
  }))
}

/** Erases a run's codes up to this person (those delivered); returns how many went. */
export async function eraseImportCodes(db: Store, runId: string, throughUserId: number): Promise<number> {
  const r = await db.q
    .deleteFrom('import_codes')
    .where('run_id', '=', runId)
    .where('user_id', '<=', throughUserId)
    .executeTakeFirst()
  return Number(r.numDeletedRows)
}
