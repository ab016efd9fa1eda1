import type {
  AccessCodeIssuedDto,
  RecoveryFactsDto,
  RecoveryPersonDto,
  RecoveryRequestDetailDto,
  RecoveryRequestSummaryDto,
  SessionUser,
} from '../../shared/dto'
import { RECOVERY_FACTS_DAYS, RECOVERY_MIN_CHECKS } from '../../shared/schemas'
import { iso } from './users-format'
import { textTable } from '../output'

/** How support requests and access codes read in the terminal, and in --json (times as ISO 8601). */

const when = (ms: number | null): string => iso(ms) ?? '-'
export const who = (p: RecoveryPersonDto | null): string => (p ? `${p.name} <${p.email}>` : 'a deleted user')
const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`

export const summaryJson = (r: RecoveryRequestSummaryDto) => ({
  ...r,
  createdAt: iso(r.createdAt),
  updatedAt: iso(r.updatedAt),
  expiresAt: iso(r.expiresAt),
})

export const detailJson = (d: RecoveryRequestDetailDto) => ({
  ...d,
  ...summaryJson(d),
  checks: d.checks.map((c) => ({ ...c, at: iso(c.at) })),
  notes: d.notes.map((n) => ({ ...n, at: iso(n.at) })),
  approvalsBy: d.approvalsBy.map((a) => ({ ...a, at: iso(a.at) })),
  effectiveAt: iso(d.effectiveAt),
  completedAt: iso(d.completedAt),
  codes: d.codes.map((c) => ({
    ...c,
    issuedAt: iso(c.issuedAt),
    expiresAt: iso(c.expiresAt),
    usedAt: iso(c.usedAt),
    revokedAt: iso(c.revokedAt),
  })),
  events: d.events.map((e) => ({ ...e, at: iso(e.at) })),
  facts: d.facts && factsJson(d.facts),
})

const factsJson = (f: RecoveryFactsDto) => ({
  ...f,
  lastSignIn: f.lastSignIn && { ...f.lastSignIn, at: iso(f.lastSignIn.at) },
  failures: { ...f.failures, latestAt: iso(f.failures.latestAt) },
  lockouts: { ...f.lockouts, latestAt: iso(f.lockouts.latestAt) },
  lockedNow: f.lockedNow && { until: iso(f.lockedNow.until) },
  phoneVerifiedAt: iso(f.phoneVerifiedAt),
  otherRequests: {
    ...f.otherRequests,
    latest: f.otherRequests.latest.map((r) => ({ ...r, createdAt: iso(r.createdAt) })),
  },
})

/** The facts an agent decides with, as the console's panel shows them. */
function factLines(f: RecoveryFactsDto | null): string[] {
  if (!f) return []
  const recent = (r: { count: number; latestAt: number | null }) =>
    r.count === 0 ? 'none' : `${r.count}, latest ${when(r.latestAt)}`
  const lock = f.lockedNow
    ? `; locked now ${f.lockedNow.until === null ? 'until an admin unlocks' : `until ${when(f.lockedNow.until)}`}`
    : ''
  return [
    `Last sign-in  ${f.lastSignIn ? `${when(f.lastSignIn.at)}${f.lastSignIn.machine ? ` (${f.lastSignIn.via ?? 'console'} on ${f.lastSignIn.machine})` : ''}` : 'never'}`,
    `Failures      ${recent(f.failures)} (last ${RECOVERY_FACTS_DAYS} days)`,
    `Lockouts      ${recent(f.lockouts)} (last ${RECOVERY_FACTS_DAYS} days)${lock}`,
    `Backup codes  ${f.backupCodes.left} of ${f.backupCodes.total} left${f.backupCodes.left > 0 ? ': suggest the person signs in with a backup code' : ''}`,
    `Phone verified ${f.phoneVerifiedAt === null ? 'never (no verified phone)' : when(f.phoneVerifiedAt)}`,
    `Other requests ${f.otherRequests.count || 'none'}`,
    ...f.otherRequests.latest.map((r) => `  #${r.id} ${r.status}, filed ${when(r.createdAt)}`),
  ]
}

export const issuedJson = (issued: AccessCodeIssuedDto, user: RecoveryPersonDto) => ({
  ...issued,
  user,
  expiresAt: iso(issued.expiresAt),
})

/** The Recovery queue as a text table, newest first. */
export function requestTable(requests: readonly RecoveryRequestSummaryDto[]): string[] {
  const header = ['ID', 'STATUS', 'EMAIL', 'NAME', 'ROLE', 'FILED', 'EXPIRES', 'CHECKS', 'APPROVALS']
  const minute = (ms: number): string => when(ms).slice(0, 16).replace('T', ' ')
  const rows = requests.map((r) => [
    `#${r.id}`,
    r.status,
    r.user.email,
    r.user.name,
    r.user.role,
    minute(r.createdAt),
    minute(r.expiresAt),
    String(r.checkCount),
    `${r.approvals}/${r.approvalsRequired}`,
  ])
  return textTable(header, rows)
}

const indent = (text: string): string => text.split(/\r?\n/).join(`\n${' '.repeat(14)}`)

/** Why the viewing agent may not check or deny: the contract gives no reason for those two. */
function blockedReason(d: RecoveryRequestDetailDto, agent: SessionUser): string {
  return d.user.id === agent.id
    ? 'Nobody may work on a recovery request about their own account.'
    : `The request is ${d.status}.`
}

/** What the agent may do next, each with the command or the reason it is refused. */
export function nextStepLines(d: RecoveryRequestDetailDto, agent: SessionUser): string[] {
  const id = `--id ${d.id}`
  const step = (name: string, allowed: boolean, reason: string | null, how: string): string =>
    `  ${name.padEnd(10)}  ${allowed ? `yes: tessera recovery ${how}` : `no: ${reason ?? 'not now.'}`}`
  const { actions } = d
  return [
    `Next steps, as ${agent.email}:`,
    step('check', actions.check, blockedReason(d, agent), `check ${id} --checks KEY,KEY [--note TEXT]`),
    step('approve', actions.approve.allowed, actions.approve.reason, `approve ${id} [--note TEXT]`),
    step('deny', actions.deny, blockedReason(d, agent), `deny ${id} --reason TEXT`),
    step('issue-code', actions.issueCode.allowed, actions.issueCode.reason, `issue-code ${id}`),
  ]
}

function codeLine(c: RecoveryRequestDetailDto['codes'][number]): string {
  const state =
    c.usedAt !== null
      ? `used at ${when(c.usedAt)}`
      : c.revokedAt !== null
        ? `revoked at ${when(c.revokedAt)}`
        : `unused, expires ${when(c.expiresAt)}`
  const delivery = c.delivery === 'sms' ? 'sent by SMS' : 'shown to the agent'
  return `  ${when(c.issuedAt)}  by ${who(c.issuedBy)}, ${delivery}; ${state}`
}

/** One request as support sees it (never a code: only when codes were issued and what became of them). */
export function detailLines(d: RecoveryRequestDetailDto, agent: SessionUser): string[] {
  return [
    `Request       #${d.id}, ${d.status}`,
    `Person        ${who(d.user)} (${d.user.role})`,
    `Filed         ${when(d.createdAt)}`,
    `Expires       ${when(d.expiresAt)}`,
    `Message       ${indent(d.message)}`,
    `Contact       ${indent(d.contact)}`,
    `Phone         ${d.phone ? `${d.phone} (verified emergency phone: a code goes there by SMS)` : 'none verified (a code is shown once, to the agent)'}`,
    `2FA           ${d.twoFactor.enrolled ? `on, ${plural(d.twoFactor.backupCodesRemaining, 'backup code')} left` : 'off'}`,
    `Checks        ${d.checks.length} (at least ${RECOVERY_MIN_CHECKS} before approving)`,
    ...d.checks.map((c) => `  ${c.check}: ${c.label}; by ${who(c.by)} at ${when(c.at)}`),
    `Notes         ${d.notes.length || 'none'}`,
    ...d.notes.map((n) => `  ${when(n.at)}  ${who(n.by)}: ${n.body.replace(/\r?\n/g, ' ')}`),
    `Approvals     ${d.approvals}/${d.approvalsRequired}`,
    ...d.approvalsBy.map((a) => `  by ${who(a.by)} at ${when(a.at)}`),
    ...(d.effectiveAt !== null ? [`Cooling-off   until ${when(d.effectiveAt)}`] : []),
    ...(d.decidedBy ? [`Decided by    ${who(d.decidedBy)}`] : []),
    ...(d.deniedReason !== null ? [`Denied        ${d.deniedReason}`] : []),
    ...(d.completedAt !== null ? [`Completed     ${when(d.completedAt)}`] : []),
    `Codes issued  ${d.codes.length || 'none'}`,
    ...d.codes.map(codeLine),
    ...factLines(d.facts),
    '',
    ...nextStepLines(d, agent),
    '',
    'History:',
    ...(d.events.length
      ? d.events.map(
          (e) => `  ${when(e.at)}  #${e.seq}  ${e.type}${e.actorId !== null ? `  by user ${e.actorId}` : ''}`,
        )
      : ['  (none)']),
  ]
}
