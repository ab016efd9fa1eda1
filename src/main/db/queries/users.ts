import type { Role } from '../../../shared/schemas'
import { prepared, type Args } from '../compiled'
import type { Store } from '../store'

export interface UserRow {
  id: number
  email: string
  name: string
  role: Role
  status: 'invited' | 'active' | 'disabled'
  password_hash: string | null
  created_at: number
  updated_at: number
  last_login_at: number | null
  require_2fa: 0 | 1
  require_2fa_since: number | null
  /** Who created the account (null: the first owner, or someone since deleted). */
  created_by: number | null
  /** When the newest invitation was issued. */
  invited_at: number | null
  activated_at: number | null
  /** An authenticator was revoked (SMS login, access code, admin reset): only enrollment is allowed. */
  must_enroll: 0 | 1
  /** An admin or owner role held until `demoted_at` (the two-person rule still applies for 7 days). */
  former_role: 'admin' | 'owner' | null
  demoted_at: number | null
  /** Sessions signed in before this moment end (a password changed or reset). */
  password_changed_at: number | null
  /** The language of the person's console and messages; null: the OS's (console) or the account's. */
  language: 'en' | 'es' | null
}

/** How long a demoted admin or owner keeps the two-person rule. */
const WEEK_MS = 604_800_000

export async function countUsers(db: Store): Promise<number> {
  const row = await db.q
    .selectFrom('users')
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

// Compiled once: every sign-in looks the account up by its address before its Argon2 check.
const userByEmail = prepared((q, [email]: Args<[string]>) =>
  q.selectFrom('users').selectAll().where('email', '=', email),
)

export async function findUserByEmail(db: Store, email: string): Promise<UserRow | undefined> {
  return (await userByEmail(db, email))[0]
}

/**
 * What a session follows on every call (the person's name, role and status, and "must enroll"), with one
 * setting's value beside them (the policy, whose session limits are read on every call too): one round
 * trip instead of two. No row when the person no longer exists.
 */
const sessionFactsAndSetting = prepared((q, [id, key]: Args<[number, string]>) =>
  q
    .selectFrom('users')
    .select(['id', 'email', 'name', 'role', 'status', 'must_enroll', 'password_changed_at'])
    .select((eb) => eb.selectFrom('settings').select('value').where('key', '=', key).as('setting'))
    .where('id', '=', id),
)

export async function sessionFactsWithSetting(
  db: Store,
  id: number,
  key: string,
): Promise<
  | (Pick<UserRow, 'id' | 'email' | 'name' | 'role' | 'status' | 'must_enroll' | 'password_changed_at'> & {
      setting: string | null
    })
  | undefined
> {
  return (await sessionFactsAndSetting(db, id, key))[0]
}

const userById = prepared((q, [id]: Args<[number]>) => q.selectFrom('users').selectAll().where('id', '=', id))

export async function findUserById(db: Store, id: number): Promise<UserRow | undefined> {
  return (await userById(db, id))[0] as UserRow | undefined
}

export async function insertUser(
  db: Store,
  u: Pick<UserRow, 'email' | 'name' | 'role' | 'status' | 'password_hash'> & {
    now: number
    require_2fa?: 0 | 1
    created_by?: number | null
  },
): Promise<number> {
  const row = await db.q
    .insertInto('users')
    .values({
      email: u.email,
      name: u.name,
      role: u.role,
      status: u.status,
      password_hash: u.password_hash,
      require_2fa: u.require_2fa ?? 0,
      created_at: u.now,
      updated_at: u.now,
      created_by: u.created_by ?? null,
      invited_at: u.status === 'invited' ? u.now : null,
      activated_at: u.status === 'active' ? u.now : null,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return Number(row.id)
}

const lastLogin = prepared((q, [id, now]: Args<[number, number]>) =>
  q.updateTable('users').set({ last_login_at: now }).where('id', '=', id),
)

export async function recordLogin(db: Store, id: number, now: number): Promise<void> {
  await lastLogin(db, id, now)
}

export async function activateUser(db: Store, id: number, passwordHash: string, now: number): Promise<void> {
  await db.q
    .updateTable('users')
    .set({ password_hash: passwordHash, status: 'active', updated_at: now, activated_at: now })
    .where('id', '=', id)
    .where('status', '=', 'invited')
    .execute()
}

export async function setRequire2fa(db: Store, id: number, required: boolean, now: number): Promise<void> {
  await db.q
    .updateTable('users')
    .set((eb) => ({
      require_2fa: required ? 1 : 0,
      require_2fa_since: required ? eb.fn.coalesce('require_2fa_since', eb.val(now)) : null,
      updated_at: now,
    }))
    .where('id', '=', id)
    .execute()
}

export async function setStatus(
  db: Store,
  id: number,
  status: 'active' | 'disabled',
  now: number,
): Promise<void> {
  await db.q.updateTable('users').set({ status, updated_at: now }).where('id', '=', id).execute()
}

/** The roles a move to `role` leaves behind as a demotion. */
const DEMOTED_FROM: Record<Role, readonly ('admin' | 'owner')[]> = {
  owner: [],
  admin: ['owner'],
  support: ['admin', 'owner'],
  member: ['admin', 'owner'],
}

/**
 * A new role. Leaving admin or owner for a lower role keeps the highest such role and the time, so the
 * two-person rule can still apply to the account for a while.
 */
export async function setRole(db: Store, id: number, role: Role, now: number): Promise<void> {
  const from = DEMOTED_FROM[role]
  await db.q
    .updateTable('users')
    .set((eb) => ({
      role,
      updated_at: now,
      ...(from.length > 0 && {
        former_role: eb
          .case()
          .when('role', 'in', from)
          .then(
            eb
              .case()
              .when(eb.and([eb('former_role', '=', 'owner'), eb('demoted_at', '>', now - WEEK_MS)]))
              .then(eb.val('owner'))
              .else(eb.ref('role'))
              .end(),
          )
          .else(eb.ref('former_role'))
          .end()
          .$castTo<'admin' | 'owner' | null>(),
        demoted_at: eb.case().when('role', 'in', from).then(now).else(eb.ref('demoted_at')).end(),
      }),
    }))
    .where('id', '=', id)
    .execute()
}

/** Set when an authenticator is revoked, cleared when a new one is confirmed. */
export async function setMustEnroll(db: Store, id: number, mustEnroll: boolean): Promise<void> {
  await db.q
    .updateTable('users')
    .set({ must_enroll: mustEnroll ? 1 : 0 })
    .where('id', '=', id)
    .execute()
}

/** A new invitation was issued. */
export async function markInvited(db: Store, id: number, now: number): Promise<void> {
  await db.q.updateTable('users').set({ invited_at: now }).where('id', '=', id).execute()
}

export function listActiveOwners(db: Store): Promise<UserRow[]> {
  return db.q
    .selectFrom('users')
    .selectAll()
    .where('role', '=', 'owner')
    .where('status', '=', 'active')
    .orderBy('id')
    .execute()
}

export async function deleteUser(db: Store, id: number): Promise<void> {
  await db.q.deleteFrom('users').where('id', '=', id).execute()
}

export async function countActiveOwners(db: Store): Promise<number> {
  const row = await db.q
    .selectFrom('users')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('role', '=', 'owner')
    .where('status', '=', 'active')
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

export interface InvitationRow {
  user_id: number
  code_hash: string
  created_at: number
  expires_at: number
}

export async function putInvitation(
  db: Store,
  userId: number,
  codeHash: string,
  now: number,
  expiresAt: number,
  by: number | null,
): Promise<void> {
  await db.q
    .insertInto('invitations')
    .values({ user_id: userId, code_hash: codeHash, created_at: now, expires_at: expiresAt, created_by: by })
    .onConflict((oc) =>
      oc.column('user_id').doUpdateSet((eb) => ({
        code_hash: eb.ref('excluded.code_hash'),
        created_at: eb.ref('excluded.created_at'),
        expires_at: eb.ref('excluded.expires_at'),
        created_by: eb.ref('excluded.created_by'),
      })),
    )
    .execute()
}

const invitationOf = prepared((q, [userId]: Args<[number]>) =>
  q
    .selectFrom('invitations')
    .select(['user_id', 'code_hash', 'created_at', 'expires_at'])
    .where('user_id', '=', userId),
)

export async function getInvitation(db: Store, userId: number): Promise<InvitationRow | undefined> {
  return (await invitationOf(db, userId))[0]
}

export async function deleteInvitation(db: Store, userId: number): Promise<boolean> {
  const r = await db.q.deleteFrom('invitations').where('user_id', '=', userId).executeTakeFirst()
  return Number(r.numDeletedRows) === 1
}

export interface UserExportRow {
  email: string
  name: string
  role: Role
  status: UserRow['status']
  twofa_state: 'enrolled' | 'required' | 'off'
  backup_codes_left: number
  last_login_at: number | null
}

/**
 * Every user for a CSV export, by email, read a page at a time (keyset on the unique email) so 100,000
 * rows never sit in memory at once.
 */
export async function* iterateUsersForExport(db: Store, batch = 5000): AsyncGenerator<UserExportRow> {
  let after: string | undefined
  for (;;) {
    const page = await db.q
      .selectFrom('users')
      .select(['email', 'name', 'role', 'status', 'twofa_state', 'backup_codes_left', 'last_login_at'])
      .$if(after !== undefined, (qb) => qb.where('email', '>', after!))
      .orderBy('email')
      .limit(batch)
      .execute()
    yield* page
    if (page.length < batch) return
    after = page.at(-1)!.email
  }
}

/**
 * Adds invited people and their invitations, many at a time (an import's batch): two statements instead
 * of two per person. Returns each new id by lower-cased email.
 */
export async function insertInvitedUsers(
  db: Store,
  people: readonly { email: string; name: string; role: Role; require_2fa: 0 | 1; codeHash: string }[],
  o: { now: number; expiresAt: number; createdBy: number | null },
): Promise<Map<string, number>> {
  const ids = new Map<string, number>()
  for (let i = 0; i < people.length; i += 500) {
    const chunk = people.slice(i, i + 500)
    const rows = await db.q
      .insertInto('users')
      .values(
        chunk.map((p) => ({
          email: p.email,
          name: p.name,
          role: p.role,
          status: 'invited' as const,
          password_hash: null,
          require_2fa: p.require_2fa,
          created_at: o.now,
          updated_at: o.now,
          created_by: o.createdBy,
          invited_at: o.now,
          activated_at: null,
        })),
      )
      .returning(['id', 'email'])
      .execute()
    for (const r of rows) ids.set(r.email.toLowerCase(), Number(r.id))
    await db.q
      .insertInto('invitations')
      .values(
        chunk.map((p) => ({
          user_id: ids.get(p.email.toLowerCase())!,
          code_hash: p.codeHash,
          created_at: o.now,
          expires_at: o.expiresAt,
          created_by: o.createdBy,
        })),
      )
      .execute()
  }
  return ids
}
