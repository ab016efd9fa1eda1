/**
 * The program of an audit verification worker, as source text run with `new Worker(source, { eval: true })`.
 *
 * Why a string and not a module of its own: the same worker must start from the electron-vite bundle
 * (out/main), from Vitest running the TypeScript sources, and from the bench, and a string needs no
 * second build entry, no path worked out at run time and no TypeScript loader in the worker. It is kept
 * self-contained (only `node:` modules and the SQLite driver, whose resolved path it is given) and small.
 *
 * It repeats `eventHash`'s envelope (core/audit.ts) and `RangeCheck`'s rules (audit-verify.ts): the
 * tests run the same tampered chains through both, so the two cannot drift apart unnoticed.
 *
 * workerData: { driver, nativeBinding?, path, key (raw bytes), ranges: [from, to][], next (an Int32Array
 * on shared memory: the index of the next range nobody has taken) }. It opens the file read-only with the
 * same cipher settings as the app, takes ranges until none is left, reads and hashes each, and posts back
 * [index, result] for each range it checked, result being { from, to, firstPrev, lastHash, bad: { seq,
 * reason, missing } | null }. The key is used for the PRAGMA only; nothing it posts or throws contains it.
 */
export const AUDIT_WORKER_SOURCE = String.raw`
'use strict'
const { parentPort, workerData } = require('node:worker_threads')
const crypto = require('node:crypto')
const sha256 =
  typeof crypto.hash === 'function'
    ? (text) => crypto.hash('sha256', text)
    : (text) => crypto.createHash('sha256').update(text).digest('hex')

// Rows are read a slice of sequence numbers at a time: one call into SQLite per slice instead of one
// per row, which is a third of what reading costs row by row.
const SLICE = 4096

function* rowsOf(stmt, from, to) {
  for (let start = from; start <= to; start += SLICE) yield* stmt.all(start, Math.min(to, start + SLICE - 1))
}

function checkRange(stmt, from, to) {
  let expected = from
  let prev = null
  let firstPrev = null
  let bad = null
  for (const r of rowsOf(stmt, from, to)) {
    // r: [seq, prev_hash + the envelope up to its type, type, hash, length of prev_hash]
    const seq = r[0]
    const prevHash = r[1].slice(0, r[4])
    if (seq !== expected) {
      bad = { seq: expected, reason: 'event ' + expected + ' is missing', missing: true }
      break
    }
    if (prev === null) firstPrev = prevHash
    else if (prevHash !== prev) {
      bad = { seq, reason: 'event ' + seq + ' does not link to the event before it', missing: false }
      break
    }
    if (sha256(r[1] + JSON.stringify(r[2]) + '}') !== r[3]) {
      bad = { seq, reason: 'event ' + seq + ' was altered after it was written', missing: false }
      break
    }
    prev = r[3]
    expected++
  }
  if (bad === null && expected <= to) {
    bad = { seq: expected, reason: 'event ' + expected + ' is missing', missing: true }
  }
  return { from, to, firstPrev, lastHash: prev, bad }
}

const Database = require(workerData.driver)
const options = { readonly: true, fileMustExist: true, timeout: 5000 }
if (workerData.nativeBinding) options.nativeBinding = workerData.nativeBinding
const db = new Database(workerData.path, options)
try {
  db.pragma("cipher='sqlcipher'")
  db.pragma('legacy=4')
  // The pages' HMACs are not checked on this read-only pass (they were most of its reading time): what it
  // proves rests on the chain itself, every event's SHA-256 recomputed. A page altered without the key
  // decrypts to noise that no stored hash matches; db check's integrity_check still checks every HMAC.
  db.pragma('hmac_check = 0')
  db.pragma('key="x\'' + Buffer.from(workerData.key).toString('hex') + '\'"')
  db.pragma('query_only = ON')
  // SQLite assembles what is hashed, up to the type (integers print as JavaScript prints them, the data is
  // stored as canonical JSON already): five values cross into JavaScript per event instead of eight.
  // The type is quoted here, by JSON.stringify, exactly as eventHash quotes it.
  const stmt = db
    .prepare(
      'SELECT seq, concat(prev_hash, \'{"actorId":\', ifnull(actor_id, \'null\'), \',"at":\', at, \',"data":\', data,' +
        ' \',"seq":\', seq, \',"subjectId":\', ifnull(subject_id, \'null\'), \',"type":\'), type, hash, length(prev_hash)' +
        ' FROM audit_events WHERE seq >= ? AND seq <= ? ORDER BY seq',
    )
    .raw(true)
  const results = []
  for (let i = Atomics.add(workerData.next, 0, 1); i < workerData.ranges.length; i = Atomics.add(workerData.next, 0, 1)) {
    const [from, to] = workerData.ranges[i]
    results.push([i, checkRange(stmt, from, to)])
  }
  parentPort.postMessage(results)
} finally {
  db.close()
}
`
