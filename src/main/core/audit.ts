import { hash } from 'node:crypto'
import type { AuditEventDto, AuditExportDto, AuditPage, AuditVerification } from '../../shared/dto'
import { AUDIT_EVENT_KINDS, type AuditFilter } from '../../shared/schemas'
import type { Clock } from '../adapters/clock'
import type { ChainFileSource } from '../db/open'
import {
  auditEventsInOrder,
  auditEventsInRange,
  auditHashesAt,
  auditHead,
  countAuditEvents,
  filteredAuditEventsInOrder,
  insertAuditEvents,
  listNamedAuditEvents,
  namesOf,
  type AuditRow,
  type AuditRowFilter,
  type NamedAuditRow,
} from '../db/queries/audit'
import { getSetting, putSetting } from '../db/queries/settings'
import type { Store } from '../db/store'
import { checkChain, defaultParallelOptions, type ParallelOptions } from './audit-verify'
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
  // One call, no Hash object: the same digest as hashing the two parts in turn, for less on every append.
  return hash('sha256', prevHash + envelope, 'hex')
}

export const auditEventDto = (
  r: AuditRow,
  people: Record<number, string> = {},
  data = JSON.parse(r.data) as Record<string, unknown>,
): AuditEventDto => ({
  seq: r.seq,
  at: r.at,
  type: r.type,
  actorId: r.actor_id,
  subjectId: r.subject_id,
  data,
  hash: r.hash,
  people,
})

/** Keys of event data that hold people's ids (one id, or a list of them). */
const PERSON_KEYS = ['approvers', 'issuedBy', 'filedBy', 'decidedBy'] as const

const idsIn = (data: Record<string, unknown>): number[] =>
  PERSON_KEYS.flatMap((k) => {
    const v = data[k]
    const all = Array.isArray(v) ? (v as unknown[]) : [v]
    return all.filter((x): x is number => typeof x === 'number' && Number.isInteger(x))
  })

const deletedUser = (id: number): string => `a deleted user #${id}`

/**
 * Events as the console shows them: each with the names of the people it mentions. Actor and subject
 * come joined to the events by their query; ids inside the data (approvers, issuers) are read for the
 * whole page at once, in one more query only when there are any. An account deleted since reads as the
 * email the event recorded for its subject, or "a deleted user #N".
 */
export async function namedEventDtos(db: Store, rows: readonly NamedAuditRow[]): Promise<AuditEventDto[]> {
  const parsed = rows.map((r) => JSON.parse(r.data) as Record<string, unknown>)
  const known = new Map<number, string>()
  for (const r of rows) {
    if (r.actor_id !== null && r.actor_name !== null) known.set(r.actor_id, r.actor_name)
    if (r.subject_id !== null && r.subject_name !== null) known.set(r.subject_id, r.subject_name)
  }
  const wanted = [...new Set(parsed.flatMap(idsIn))].filter((id) => !known.has(id))
  if (wanted.length > 0) for (const [id, u] of await namesOf(db, wanted)) known.set(id, u.name)
  return rows.map((r, i) => {
    const data = parsed[i]!
    const recordedEmail = typeof data.email === 'string' ? data.email : undefined
    const people: Record<number, string> = {}
    const name = (id: number | null, asSubject: boolean) => {
      if (id === null) return
      people[id] = known.get(id) ?? (asSubject && recordedEmail ? recordedEmail : deletedUser(id))
    }
    name(r.subject_id, true)
    name(r.actor_id, r.actor_id === r.subject_id)
    for (const id of idsIn(data)) people[id] ??= known.get(id) ?? deletedUser(id)
    return auditEventDto(r, people, data)
  })
}

/** The filter as the queries take it: kinds become the event types (and type prefixes) they cover. */
function rowFilter(f: AuditFilter | undefined): AuditRowFilter {
  if (!f) return {}
  return {
    personId: f.personId,
    types:
      f.kinds && f.kinds.length > 0 ? [...new Set(f.kinds.flatMap((k) => AUDIT_EVENT_KINDS[k]))] : undefined,
    from: f.from,
    to: f.to,
  }
}

/** Where the routine check starts from: the last event verified, with its hash (settings, JSON). */
const CHECKPOINT_SETTING = 'audit.verifiedCheckpoint'

interface ChainHead {
  seq: number
  hash: string
}

/** Where a transaction keeps the chain's head once it has locked the chain (Store.kept). */
const CHAIN_HEAD = Symbol('audit chain head')

export interface AuditLogOptions {
  /** The file, for verification in worker threads (absent on a team database). */
  chainFile?: ChainFileSource
  parallel: ParallelOptions
}

export class AuditLog {
  private readonly options: AuditLogOptions

  constructor(
    private readonly db: Store,
    private readonly clock: Clock,
    options: Partial<AuditLogOptions> = {},
  ) {
    this.options = { ...options, parallel: options.parallel ?? defaultParallelOptions() }
  }

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
      // The chain is locked once per transaction: the head it then read, or its own last append, is the
      // head until it ends (a login step appends twice, and on a server each read is a round trip).
      let head = this.db.kept<ChainHead>(CHAIN_HEAD)
      if (!head) {
        await this.db.engine.lockAuditChain(this.db.q)
        const read = await auditHead(this.db)
        head = { seq: read?.seq ?? 0, hash: read?.hash ?? GENESIS_HASH }
      }
      let seq = head.seq
      let prev = head.hash
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
      this.db.keep(CHAIN_HEAD, { seq, hash: prev } satisfies ChainHead)
      return rows
    })
  }

  /**
   * Verifies the chain and reports the first sequence number whose event or link does not hold.
   * 'full' recomputes every event from the first; 'routine' (the console's check) recomputes only the
   * events after the last verified checkpoint, once that event is confirmed to still have the hash it
   * had. Either way the checkpoint must still hold, and moves to the head when the chain is intact.
   */
  async verify(mode: 'full' | 'routine' = 'full'): Promise<AuditVerification> {
    const head = await auditHead(this.db)
    const checkpoint = await this.checkpoint()
    // The checkpoint's event as the log holds it now: the same hash, or the chain was rewritten.
    const held = checkpoint
      ? await this.extendsPoint({ seq: checkpoint.seq, hash: checkpoint.hash }, head)
      : undefined
    let from = 1
    let startPrev = GENESIS_HASH
    if (mode === 'routine' && checkpoint && held === null && checkpoint.seq > 0) {
      // The checkpoint's event itself is recomputed too (its stored hash alone could hide altered data).
      for await (const r of auditEventsInRange(this.db, checkpoint.seq, checkpoint.seq)) {
        from = checkpoint.seq
        startPrev = r.prev_hash
      }
    }
    const headSeq = head?.seq ?? 0
    const result =
      from > headSeq
        ? ({ ok: true, count: headSeq, headHash: head?.hash ?? GENESIS_HASH } as const)
        : await checkChain(this.db, this.options.chainFile, from, headSeq, startPrev, this.options.parallel)
    if (!result.ok) return result
    // The head as this connection reads it (every page's HMAC checked) must be where the chain ended.
    if (head && result.headHash !== head.hash) {
      return {
        ok: false,
        count: head.seq - 1,
        firstBadSeq: head.seq,
        reason: `event ${head.seq} was altered after it was written`,
      }
    }
    // The chain verifies from the first event, yet the checkpoint's event changed: rewritten and re-hashed.
    if (held) return held
    if (!checkpoint || checkpoint.seq !== result.count) {
      await putSetting(
        this.db,
        CHECKPOINT_SETTING,
        JSON.stringify({ seq: result.count, hash: result.headHash }),
      )
    }
    return from > 1 ? { ...result, checkedFrom: from } : result
  }

  /** The last verified event (sequence number and hash), as the routine check starts after it. */
  async checkpoint(): Promise<{ seq: number; hash: string } | undefined> {
    const raw = await getSetting(this.db, CHECKPOINT_SETTING)
    if (!raw) return undefined
    try {
      const v = JSON.parse(raw) as { seq?: unknown; hash?: unknown }
      return typeof v.seq === 'number' && typeof v.hash === 'string'
        ? { seq: v.seq, hash: v.hash }
        : undefined
    } catch {
      return undefined
    }
  }

  /**
   * Whether the log still extends a point of the chain recorded earlier (the checkpoint, an anchor):
   * null when it does, otherwise the first event where it does not. `marks` are hashes of earlier
   * events kept with the point (an anchor's), so a chain rewritten and re-hashed from an early event
   * is named there rather than at the point itself.
   */
  async extendsPoint(
    point: { seq: number; hash: string; marks?: { every: number; hashes: readonly string[] } },
    head?: { seq: number; hash: string },
  ): Promise<Extract<AuditVerification, { ok: false }> | null> {
    const headSeq = (head === undefined ? await auditHead(this.db) : head)?.seq ?? 0
    const expected: [number, string][] = (point.marks?.hashes ?? []).map((h, i) => [
      (i + 1) * point.marks!.every,
      h,
    ])
    expected.push([point.seq, point.seq === 0 ? GENESIS_HASH : point.hash])
    const wanted = expected.filter(([seq]) => seq >= 1 && seq <= headSeq).map(([seq]) => seq)
    const stored = await auditHashesAt(this.db, wanted)
    let matched = 0
    for (const [seq, hash] of expected.sort((a, b) => a[0] - b[0])) {
      if (seq < 1) continue
      const fail = (firstBadSeq: number, reason: string) => ({
        ok: false as const,
        count: firstBadSeq - 1,
        firstBadSeq,
        reason,
      })
      if (seq > headSeq) {
        // Every recorded hash up to the head matched: what is gone is the tail.
        return fail(
          headSeq + 1,
          `event ${headSeq + 1} is missing: the log ends at event ${headSeq}, but had reached event ${point.seq}`,
        )
      }
      const now = stored.get(seq)
      if (now === undefined) return fail(seq, `event ${seq} is missing`)
      if (now !== hash) {
        return fail(
          seq,
          matched === seq - 1
            ? `event ${seq} is not the one recorded earlier: the chain was rewritten from event ${seq} on`
            : `event ${seq} is not the one recorded earlier: the chain was rewritten from an event between ${matched + 1} and ${seq} (event ${matched} still matches)`,
        )
      }
      matched = seq
    }
    return null
  }

  /** A page of the trail, newest first, filtered (person, kinds, time range), with people's names. */
  async list(before: number | undefined, limit: number, filter?: AuditFilter): Promise<AuditPage> {
    const rows = await listNamedAuditEvents(this.db, rowFilter(filter), before, limit)
    const last = rows.at(-1)
    return {
      events: await namedEventDtos(this.db, rows),
      nextBefore: rows.length === limit && last ? last.seq : null,
    }
  }

  /** The export as one text (the console saves it as a file): the same lines `export` streams. */
  async exportText(format: 'jsonl' | 'csv', filter?: AuditFilter): Promise<AuditExportDto> {
    let text = ''
    let lines = 0
    for await (const line of this.export(format, filter)) {
      text += line
      lines++
    }
    return { format, text, events: format === 'csv' ? lines - 1 : lines }
  }

  count(): Promise<number> {
    return countAuditEvents(this.db)
  }

  async headHash(): Promise<string> {
    return (await auditHead(this.db))?.hash ?? GENESIS_HASH
  }

  /**
   * Streams the trail for export, oldest first, with the hashes so a reader can verify it elsewhere: all
   * of it, or the events a filter selects (as the Audit log shows them).
   */
  async *export(format: 'jsonl' | 'csv', filter?: AuditFilter): AsyncGenerator<string> {
    if (format === 'csv') yield 'seq,at,type,actor_id,subject_id,data,prev_hash,hash\n'
    const rows = filter ? filteredAuditEventsInOrder(this.db, rowFilter(filter)) : auditEventsInOrder(this.db)
    for await (const r of rows) {
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
