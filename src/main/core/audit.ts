import { createHash } from 'node:crypto'
import type { AuditEventDto, AuditPage, AuditVerification } from '../../shared/dto'
import type { Clock } from '../adapters/clock'
import {
  auditEventsInOrder,
  auditHead,
  countAuditEvents,
  insertAuditEvents,
  listAuditEvents,
  type AuditRow,
} from '../db/queries/audit'
import type { Store } from '../db/store'
import { canonicalJson } from './canonical-json'
import { csvCell } from './csv'

export const GENESIS_HASH = '0'.repeat(64)

export interface AuditInput {
  type: string
  actorId?: number | null
  subjectId?: number | null
  data?: Record<string, unknown>
}

/**
 * Keys that would mean a secret is about to be written into the trail. Events describe what happened
 * ("a backup code in slot 3 was used"), never the secret itself, and appending one of these refuses.
 * Matched on the key with case, "_" and "-" removed: anything containing password, passphrase, secret,
 * token or otp, and anything ending in code, key, hash or pin (so `backupCode`, `authToken`, `apiKey`).
 */
const SECRET_KEY = /(password|passphrase|secret|token|otp)|(code|key|hash|pin)$/

function assertNoSecrets(value: unknown, path = 'data'): void {
  if (value === null || typeof value !== 'object') return
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (SECRET_KEY.test(k.toLowerCase().replace(/[_-]/g, ''))) {
      throw new Error(`Refusing to write "${path}.${k}" into the audit trail: it names a secret`)
    }
    assertNoSecrets(v, `${path}.${k}`)
  }
}

/** The text hashed for one event: the previous hash followed by the event's canonical JSON. */
export function eventHash(
  prevHash: string,
  e: {
    seq: number
    at: number
    type: string
    actorId: number | null
    subjectId: number | null
    data: string
  },
): string {
  // `data` is stored as canonical JSON already, so the envelope is assembled without re-parsing it;
  // the keys below are in sorted order, which makes the whole text canonical JSON.
  const envelope =
    `{"actorId":${e.actorId === null ? 'null' : e.actorId},"at":${e.at},"data":${e.data},` +
    `"seq":${e.seq},"subjectId":${e.subjectId === null ? 'null' : e.subjectId},"type":${JSON.stringify(e.type)}}`
  return createHash('sha256').update(prevHash).update(envelope).digest('hex')
}

export const auditEventDto = (r: AuditRow): AuditEventDto => ({
  seq: r.seq,
  at: r.at,
  type: r.type,
  actorId: r.actor_id,
  subjectId: r.subject_id,
  data: JSON.parse(r.data) as Record<string, unknown>,
  hash: r.hash,
})

export class AuditLog {
  constructor(
    private readonly db: Store,
    private readonly clock: Clock,
  ) {}

  /**
   * Appends one event. Call it inside the transaction that makes the change it records, so both land
   * or neither does; outside one, it opens its own. The head is read and the event inserted under the
   * engine's audit-chain lock (SQLite: the write lock BEGIN IMMEDIATE already holds), so the head cannot
   * move under it.
   */
  async append(input: AuditInput): Promise<AuditEventDto> {
    const [row] = await this.appendAt([{ ...input, at: this.clock.now() }])
    return auditEventDto(row!)
  }

  /**
   * Appends events that carry their own times (a seeded history), in order, in one transaction and a few
   * multi-row inserts: a long history is chained in seconds instead of one round trip per event.
   */
  async appendHistory(events: readonly (AuditInput & { at: number })[]): Promise<void> {
    await this.appendAt(events)
  }

  private appendAt(events: readonly (AuditInput & { at: number })[]): Promise<AuditRow[]> {
    for (const e of events) assertNoSecrets(e.data ?? {})
    return this.db.transaction(async () => {
      await this.db.engine.lockAuditChain(this.db.q)
      const head = await auditHead(this.db)
      let seq = head?.seq ?? 0
      let prev = head?.hash ?? GENESIS_HASH
      const rows = events.map((e): AuditRow => {
        const row: AuditRow = {
          seq: ++seq,
          at: e.at,
          type: e.type,
          actor_id: e.actorId ?? null,
          subject_id: e.subjectId ?? null,
          data: canonicalJson(e.data ?? {}),
          prev_hash: prev,
          hash: '',
        }
        row.hash = prev = eventHash(row.prev_hash, {
          seq: row.seq,
          at: row.at,
          type: row.type,
          actorId: row.actor_id,
          subjectId: row.subject_id,
          data: row.data,
        })
        return row
      })
      await insertAuditEvents(this.db, rows)
      return rows
    })
  }

  /** Walks the whole chain; reports the first sequence number whose event or link does not hold. */
  async verify(): Promise<AuditVerification> {
    let expectedSeq = 1
    let prev = GENESIS_HASH
    for await (const r of auditEventsInOrder(this.db)) {
      const bad = (reason: string): AuditVerification => ({
        ok: false,
        count: expectedSeq - 1,
        firstBadSeq: expectedSeq,
        reason,
      })
      if (r.seq !== expectedSeq) return bad(`event ${expectedSeq} is missing`)
      if (r.prev_hash !== prev) return bad(`event ${r.seq} does not link to the event before it`)
      const h = eventHash(prev, {
        seq: r.seq,
        at: r.at,
        type: r.type,
        actorId: r.actor_id,
        subjectId: r.subject_id,
        data: r.data,
      })
      if (h !== r.hash) return bad(`event ${r.seq} was altered after it was written`)
      prev = r.hash
      expectedSeq++
    }
    return { ok: true, count: expectedSeq - 1, headHash: prev }
  }

  async list(before: number | undefined, limit: number): Promise<AuditPage> {
    const rows = await listAuditEvents(this.db, before, limit)
    const last = rows.at(-1)
    return { events: rows.map(auditEventDto), nextBefore: rows.length === limit && last ? last.seq : null }
  }

  count(): Promise<number> {
    return countAuditEvents(this.db)
  }

  async headHash(): Promise<string> {
    return (await auditHead(this.db))?.hash ?? GENESIS_HASH
  }

  /** Streams the trail for export, oldest first, with the hashes so a reader can verify it elsewhere. */
  async *export(format: 'jsonl' | 'csv'): AsyncGenerator<string> {
    if (format === 'csv') yield 'seq,at,type,actor_id,subject_id,data,prev_hash,hash\n'
    for await (const r of auditEventsInOrder(this.db)) {
      if (format === 'jsonl') {
        yield `${canonicalJson({
          seq: r.seq,
          at: new Date(r.at).toISOString(),
          type: r.type,
          actorId: r.actor_id,
          subjectId: r.subject_id,
          data: JSON.parse(r.data) as unknown,
          prevHash: r.prev_hash,
          hash: r.hash,
        })}\n`
      } else {
        const cells = [
          String(r.seq),
          new Date(r.at).toISOString(),
          r.type,
          r.actor_id === null ? '' : String(r.actor_id),
          r.subject_id === null ? '' : String(r.subject_id),
          r.data,
          r.prev_hash,
          r.hash,
        ]
        yield `${cells.map(csvCell).join(',')}\n`
      }
    }
  }
}
