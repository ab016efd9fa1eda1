import { whyNotWorkRecovery } from '../../shared/access'
import type { Role } from '../../shared/schemas'
import type { Notifier } from '../adapters/notifier'
import type { Clock } from '../adapters/clock'
import { alertEventsBetween, LOCKOUT_TYPE } from '../db/queries/agent-facts'
import { auditHead } from '../db/queries/audit'
import { findUserById } from '../db/queries/users'
import type { Store } from '../db/store'
import { dualControlRoleOf } from './actor'
import { messagesIn, type Language } from './messages'
import type { AgentAlertFacts } from './messages/catalog'

/** Someone signed in on this console, as the database has them now. */
export interface ConsoleAgent {
  id: number
  role: Role
  /** The console is locked (idle or on demand): the notification names nobody. */
  locked: boolean
  /** The language the person reads Tessera's messages in (theirs, else the account's). */
  language: Language
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
  subjectId: number
  subjectRole: Role
  /** What happened, worded in each agent's own language when told. */
  facts: AgentAlertFacts
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
      const words = messagesIn(agent.language)
      if (agent.locked || mine.length > MAX_SEPARATE) {
        // Counts only, no names: on a locked console anyone passing by reads it.
        const requests = mine.filter((a) => a.facts.kind === 'request').length
        this.d.notifier.notify(words.agentAlertSummary(requests, mine.length - requests))
      } else for (const a of mine) this.d.notifier.notify(words.agentAlert(a.facts))
    }
  }

  private async alertFor(type: string, subjectId: number, data: string): Promise<Alert | undefined> {
    const subject = await findUserById(this.d.db, subjectId)
    if (!subject) return undefined
    const who = `${subject.name} (${subject.email})`
    const base = { subjectId, subjectRole: dualControlRoleOf(subject, this.d.clock.now()) }
    const d = JSON.parse(data) as { requestId?: number; until?: string | null; kind?: string }
    if (type === LOCKOUT_TYPE) {
      const until = typeof d.until === 'string' ? Date.parse(d.until) : null
      return { ...base, facts: { kind: 'lockout', who, until } }
    }
    return {
      ...base,
      facts: { kind: 'request', who, requestId: d.requestId ?? null, byAdmin: d.kind === 'admin_reset' },
    }
  }
}
