import type { UserDetailDto, UserSummaryDto } from '../../shared/dto'
import { textTable } from '../output'

export const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString())

export function lockState(u: UserSummaryDto): string {
  if (u.lockedForever) return 'locked (until an admin unlocks)'
  if (u.lockedUntil !== null) return `locked until ${iso(u.lockedUntil)}`
  return 'not locked'
}

/** A user row for --json: times as ISO 8601 text. */
export const summaryJson = (u: UserSummaryDto) => ({
  ...u,
  enrolledAt: iso(u.enrolledAt),
  lastLoginAt: iso(u.lastLoginAt),
  lockedUntil: iso(u.lockedUntil),
})

/** The Users page as a text table. */
export function userTable(users: readonly UserSummaryDto[]): string[] {
  const header = ['EMAIL', 'NAME', 'ROLE', 'STATUS', '2FA', 'CODES', 'LAST LOGIN', 'LOCK']
  const rows = users.map((u) => [
    u.email,
    u.name,
    u.role,
    u.status,
    u.twoFactor,
    u.twoFactor === 'enrolled' ? `${u.backupCodesLeft}/5` : '-',
    u.lastLoginAt === null ? 'never' : iso(u.lastLoginAt)!.slice(0, 16).replace('T', ' '),
    u.lockedForever ? 'locked' : u.lockedUntil !== null ? 'locked' : '',
  ])
  return textTable(header, rows)
}

export function detailJson(d: UserDetailDto) {
  return {
    user: summaryJson(d.user),
    requireTwoFactor: d.requireTwoFactor,
    twoFactor: {
      ...d.twoFactor,
      enrolledAt: iso(d.twoFactor.enrolledAt),
      slots: d.twoFactor.slots.map((s) => ({ ...s, used: s.usedAt !== null, usedAt: iso(s.usedAt) })),
    },
    lock: lockState(d.user),
    invitationExpiresAt: iso(d.invitationExpiresAt),
    recentEvents: d.recentEvents.map((e) => ({ ...e, at: iso(e.at) })),
  }
}

export function detailLines(d: UserDetailDto): string[] {
  const u = d.user
  const tf = d.twoFactor
  return [
    `User          ${u.name} <${u.email}>`,
    `Role          ${u.role}`,
    `Status        ${u.status}${d.invitationExpiresAt ? ` (invitation expires ${iso(d.invitationExpiresAt)})` : ''}`,
    `2FA           ${u.twoFactor}${tf.enrolledAt ? `, enrolled at ${iso(tf.enrolledAt)}` : ''}; required: ${d.requireTwoFactor ? 'yes' : 'no'}`,
    `Backup codes  ${tf.backupCodesRemaining}/${tf.backupCodesTotal} remaining`,
    ...(tf.slots.length
      ? tf.slots.map(
          (s) =>
            `  slot ${s.slot}  ${s.usedAt === null ? 'unused' : `used at ${iso(s.usedAt)} on ${s.usedMachine ?? 'an unknown machine'}`}`,
        )
      : ['  (no backup codes)']),
    `Lock          ${lockState(u)}`,
    `Last login    ${iso(u.lastLoginAt) ?? 'never'}`,
    '',
    'Recent events:',
    ...(d.recentEvents.length
      ? d.recentEvents.map(
          (e) => `  ${iso(e.at)}  #${e.seq}  ${e.type}${e.actorId !== null ? `  by user ${e.actorId}` : ''}`,
        )
      : ['  (none)']),
  ]
}
