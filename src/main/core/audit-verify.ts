import { createRequire } from 'node:module'
import { availableParallelism } from 'node:os'
import { Worker } from 'node:worker_threads'
import type { AuditVerification } from '../../shared/dto'
import type { ChainFileSource } from '../db/open'
import { auditEventsInRange, type AuditRow } from '../db/queries/audit'
import type { Store } from '../db/store'
import { eventHash } from './audit'
import { AUDIT_WORKER_SOURCE } from './audit-worker-source'

/**
 * Verifying the chain in parallel. Every event stores the hash of the one before it, so a range of the
 * chain is checked on its own (each event's hash recomputed, each link inside the range compared); what
 * joins two ranges is one comparison (the first event's prev_hash with the last hash of the range before),
 * done afterwards. The verdict is the sequential walk's: the first sequence number that does not hold,
 * with the same reason (missing, broken link, altered).
 */

export interface RangeFault {
  seq: number
  reason: string
  /** The event is not there (checked before its link, as the sequential walk does). */
  missing: boolean
}

export interface RangeResult {
  from: number
  to: number
  /** prev_hash of the range's first event (null when it is missing). */
  firstPrev: string | null
  /** hash of the last event checked. */
  lastHash: string | null
  bad: RangeFault | null
}

/** The checks of one range, fed its events in order; the same rules as the worker's `checkRange`. */
export class RangeCheck {
  private expected: number
  private prev: string | null = null
  private firstPrev: string | null = null
  private bad: RangeFault | null = null

  constructor(
    readonly from: number,
    readonly to: number,
  ) {
    this.expected = from
  }

  /** Checks the next event; false once something does not hold (read no further). */
  add(r: AuditRow): boolean {
    const seq = r.seq
    if (seq !== this.expected) {
      this.bad = { seq: this.expected, reason: `event ${this.expected} is missing`, missing: true }
      return false
    }
    if (this.prev === null) this.firstPrev = r.prev_hash
    else if (r.prev_hash !== this.prev) {
      this.bad = { seq, reason: `event ${seq} does not link to the event before it`, missing: false }
      return false
    }
    const h = eventHash(r.prev_hash, {
      seq,
      at: r.at,
      type: r.type,
      actorId: r.actor_id,
      subjectId: r.subject_id,
      data: r.data,
    })
    if (h !== r.hash) {
      this.bad = { seq, reason: `event ${seq} was altered after it was written`, missing: false }
      return false
    }
    this.prev = r.hash
    this.expected++
    return true
  }

  result(): RangeResult {
    const bad =
      this.bad ??
      (this.expected <= this.to
        ? { seq: this.expected, reason: `event ${this.expected} is missing`, missing: true }
        : null)
    return { from: this.from, to: this.to, firstPrev: this.firstPrev, lastHash: this.prev, bad }
  }
}

/** `from`..`to` cut into `parts` contiguous ranges of nearly equal length. */
export function splitRange(from: number, to: number, parts: number): [number, number][] {
  const total = to - from + 1
  const n = Math.max(1, Math.min(parts, total))
  const ranges: [number, number][] = []
  let start = from
  for (let i = 0; i < n; i++) {
    const end = start + Math.floor(total / n) + (i < total % n ? 1 : 0) - 1
    ranges.push([start, end])
    start = end + 1
  }
  return ranges
}

/**
 * Joins the ranges' results in order: the first range's first event must link to `startPrev` (the
 * genesis hash, or the hash of the verified event the check starts after), each next one to the last
 * hash of the range before. `count` on failure is the number of intact events before the bad one.
 */
export function joinRanges(results: readonly RangeResult[], startPrev: string): AuditVerification {
  let prev = startPrev
  const fail = (seq: number, reason: string): AuditVerification => ({
    ok: false,
    count: seq - 1,
    firstBadSeq: seq,
    reason,
  })
  let last = 0
  for (const r of results) {
    if (r.bad?.missing && r.bad.seq === r.from) return fail(r.bad.seq, r.bad.reason)
    if (r.firstPrev !== prev) return fail(r.from, `event ${r.from} does not link to the event before it`)
    if (r.bad) return fail(r.bad.seq, r.bad.reason)
    prev = r.lastHash!
    last = r.to
  }
  return { ok: true, count: last, headHash: prev }
}

/** Reads and checks ranges on the main thread, each with its own reads (concurrent on a pool). */
export function checkRangesInThread(db: Store, ranges: readonly [number, number][]): Promise<RangeResult[]> {
  return Promise.all(
    ranges.map(async ([from, to]) => {
      const check = new RangeCheck(from, to)
      for await (const r of auditEventsInRange(db, from, to)) if (!check.add(r)) break
      return check.result()
    }),
  )
}

let driverPath: string | undefined
const sqliteDriver = (): string =>
  (driverPath ??= createRequire(import.meta.url).resolve('better-sqlite3-multiple-ciphers'))

/**
 * `threads` workers share the ranges: each opens the file read-only with its key and takes the next
 * unchecked range (a shared counter) until none is left, so a thread slowed by other work on the machine
 * checks fewer of them instead of holding up the whole check. Results come back in the ranges' order.
 */
export function checkRangesInWorkers(
  file: ChainFileSource,
  ranges: readonly [number, number][],
  threads = ranges.length,
): Promise<RangeResult[]> {
  const next = new Int32Array(new SharedArrayBuffer(4))
  const workers = Array.from(
    { length: Math.max(1, Math.min(threads, ranges.length)) },
    () =>
      new Promise<[number, RangeResult][]>((resolve, reject) => {
        const worker = new Worker(AUDIT_WORKER_SOURCE, {
          eval: true,
          workerData: {
            driver: sqliteDriver(),
            ...(file.nativeBinding ? { nativeBinding: file.nativeBinding } : {}),
            path: file.path,
            key: file.key,
            ranges,
            next,
          },
        })
        let settled = false
        worker.once('message', (results: [number, RangeResult][]) => {
          settled = true
          resolve(results)
        })
        worker.once('error', (e) => {
          settled = true
          // The worker's own error (no key in it: the key goes into a PRAGMA, never into a message).
          reject(new Error(`audit verification worker failed: ${e.message}`))
        })
        worker.once('exit', (code) => {
          if (!settled) reject(new Error(`audit verification worker stopped (exit code ${code})`))
        })
      }),
  )
  return Promise.all(workers).then((done) => {
    const results: RangeResult[] = []
    for (const [index, result] of done.flat()) results[index] = result
    return results
  })
}

/** Events per range handed to a worker: small enough to share out evenly, large enough to cost nothing. */
const WORKER_RANGE = 16_384

export interface ParallelOptions {
  /** Below this many events to check, one thread does it all (starting workers costs ~50 ms). */
  parallelFrom: number
  /** Threads at most (default: the machine's cores). */
  threads: number
}

export const defaultParallelOptions = (): ParallelOptions => ({
  parallelFrom: 20_000,
  threads: Math.max(1, Math.min(availableParallelism(), 8)),
})

/**
 * Checks events `from`..`to` linking to `startPrev`. On the file, big ranges go to worker threads that
 * read the file themselves (the reads, the decryption and the hashing all run in parallel); should the
 * workers fail to start, the main thread does it. On PostgreSQL the ranges are read concurrently over
 * the pool's connections and hashed here.
 */
export async function checkChain(
  db: Store,
  file: ChainFileSource | undefined,
  from: number,
  to: number,
  startPrev: string,
  options: ParallelOptions,
): Promise<AuditVerification> {
  const total = to - from + 1
  const parallel = total >= options.parallelFrom && options.threads > 1
  const ranges = parallel ? splitRange(from, to, options.threads) : [[from, to] as [number, number]]
  if (file && parallel) {
    const shared = splitRange(from, to, Math.max(options.threads, Math.ceil(total / WORKER_RANGE)))
    try {
      return joinRanges(await checkRangesInWorkers(file, shared, options.threads), startPrev)
    } catch {
      // Fall through: the same check, on this thread.
    }
  }
  return joinRanges(await checkRangesInThread(db, ranges), startPrev)
}
