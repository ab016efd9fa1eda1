import { whyNotWorkRecovery } from '../../shared/access'
import type { Role } from '../../shared/schemas'
import type { Notifier } from '../adapters/notifier'
import type { Clock } from '../adapters/clock'
import { alertEventsBetween, LOCKOUT_TYPE } from '../db/queries/agent-facts'
import { auditHead } from '../db/queries/audit'
import { findUserById } from '../db/queries/users'
import type { Store } from '../db/store'
import { dualControlRoleOf } from './actor'
import { whenText } from './messages'

/** Someone signed in on this console, as the database has them now. */
export interface ConsoleAgent {
  id: number
  role: Role
  /** The console is locked (idle or on demand): the notification names nobody. */
  locked: boolean
}

export interface AgentAlertDeps {
  db: Store
  clock: Clock
  notifier: Notifier
  /** Who is signed in on this console now (role from the database, not from the session's memory). */
  agents: () => Promise<ConsoleAgent[]>
}

/** More alerts than this for one console in one look are summed up in one notification. */
const MAX_SEPARATE = 3

interface Alert {
  kind: 'request' | 'lockout'
  subjectId: number
  subjectRole: Role
  title: string
  body: string
}

/**
 * OS notifications for support: a recovery request filed, or an account locked, anywhere (this console,
 * another one on the team database, the CLI on the same file). The audit trail is where both are
 * recorded, so each look reads the events appended since the last one, after they were committed; the
 * first look starts from the trail as it stands, so opening the console does not replay history.
 *
 * A signed-in person is told only about people they may work on (support, admin or owner; never about
 * themselves; an owner's only to owners): the same rule as the Recovery queue's.
 */
export class AgentAlerts {
  private seen: number | undefined
  private running: Promise<void> | undefined

  constructor(private readonly d: AgentAlertDeps) {}

  /** One look at the trail; a look already under way makes this one wait for it instead. */
  check(): Promise<void> {
    this.running ??= this.look().finally(() => (this.running = undefined))
    return this.running
  }

  private async look(): Promise<void> {
    const { db } = this.d
    const head = (await auditHead(db))?.seq ?? 0
    const after = this.seen
    this.seen = head
    if (after === undefined || head <= after) return
    const events = await alertEventsBetween(db, after, head)
    if (events.length === 0) return
    const agents = await this.d.agents()
    if (agents.length === 0) return
    const alerts: Alert[] = []
    for (const e of events) {
      const alert = e.subject_id === null ? undefined : await this.alertFor(e.type, e.subject_id, e.data)
      if (alert) alerts.push(alert)
    }
    for (const agent of agents) {
      const mine = alerts.filter(
        (a) => whyNotWorkRecovery(agent, { id: a.subjectId, role: a.subjectRole }) === null,
      )
      if (mine.length === 0) continue
      if (agent.locked || mine.length > MAX_SEPARATE) this.d.notifier.notify(summary(mine))
      else for (const a of mine) this.d.notifier.notify({ title: a.title, body: a.body })
    }
  }

  private async alertFor(type: string, subjectId: number, data: string): Promise<Alert | undefined> {
    const subject = await findUserById(this.d.db, subjectId)
    if (!subject) return undefined
    const who = `${subject.name} (${subject.email})`
    const base = { subjectId, subjectRole: dualControlRoleOf(subject, this.d.clock.now()) }
    const d = JSON.parse(data) as { requestId?: number; until?: string | null; kind?: string }
    if (type === LOCKOUT_TYPE) {
      const until = typeof d.until === 'string' ? ` until ${whenText(Date.parse(d.until))}` : ''
      return {
        ...base,
        kind: 'lockout',
        title: 'Account locked',
        body: `${who} is locked out after too many failed attempts${until || ' until an administrator unlocks it'}. They may call support.`,
      }
    }
    return {
      ...base,
      kind: 'request',
      title: 'New recovery request',
      body:
        d.kind === 'admin_reset'
          ? `An administrator asked to reset the sign-in of ${who} (request #${d.requestId}). It waits in the Recovery queue.`
          : `${who} asked support for help signing in (request #${d.requestId}). It waits in the Recovery queue.`,
    }
  }
}

/** One notification for several alerts, or for a locked console: counts only, no names. */
function summary(alerts: Alert[]): { title: string; body: string } {
  const requests = alerts.filter((a) => a.kind === 'request').length
  const lockouts = alerts.length - requests
  const parts = [
    requests > 0 ? `${requests} new recovery ${requests === 1 ? 'request' : 'requests'}` : null,
    lockouts > 0 ? `${lockouts} ${lockouts === 1 ? 'account' : 'accounts'} locked` : null,
  ].filter((p): p is string => p !== null)
  return {
    title: requests > 0 ? 'Recovery requests waiting' : 'Accounts locked',
    body: `${parts.join(' and ')}. Open Tessera to see them.`,
  }
}
