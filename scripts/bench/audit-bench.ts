// The audit trail at a million events: `tessera audit verify` end to end (spawned, as a person runs it)
// and the in-process rate, on an encrypted file seeded with one chain. Run alone with
// `npx tsx scripts/bench/audit-bench.ts [--events N] [--keep PATH]`, or as part of npm run bench.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { systemClock } from '../../src/main/adapters/clock'
import { createKeytarKeychain } from '../../src/main/adapters/keychain'
import { AuditLog, eventHash, GENESIS_HASH } from '../../src/main/core/audit'
import { PasswordPolicy } from '../../src/main/core/passwords'
import { buildServices } from '../../src/main/core/services'
import { createDatabase, openDatabase } from '../../src/main/db/open'

const PASSPHRASE = 'audit bench database passphrase'
const CLI_RUNS = 3
const TYPES = ['login.succeeded', 'login.failed', 'session.locked', 'logout', 'twoFactor.verified']

/**
 * A passphrase-protected database holding `events` chained events (logins and the like, with the
 * client data a real event carries), inserted in one transaction with the file's own driver.
 */
export async function seedAuditFile(path: string, events: number): Promise<number> {
  const t0 = performance.now()
  const opened = await createDatabase(path, {
    keyStore: 'passphrase',
    passphrase: PASSPHRASE,
    keychain: createKeytarKeychain('Tessera-bench'),
  })
  const insert = opened.file.prepare(
    'INSERT INTO audit_events (seq, at, type, actor_id, subject_id, data, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  )
  const start = Date.UTC(2024, 0, 1)
  opened.file.transaction(() => {
    let prev = GENESIS_HASH
    for (let seq = 1; seq <= events; seq++) {
      const user = 1 + (seq % 5000)
      const e = {
        seq,
        at: start + seq * 60_000,
        type: TYPES[seq % TYPES.length]!,
        actorId: user,
        subjectId: user,
        data: `{"ip":"10.0.${seq % 256}.${(seq >> 8) % 256}","machine":"ws-${seq % 97}","method":"password","via":"desktop"}`,
      }
      const hash = eventHash(prev, e)
      insert.run(e.seq, e.at, e.type, e.actorId, e.subjectId, e.data, prev, hash)
      prev = hash
    }
  })()
  await opened.db.close()
  return (performance.now() - t0) / 1000
}

/** Runs `tessera --db PATH ARGS --json` as a person would, adds its seconds to `into`, returns its output. */
function timedCli(path: string, args: string[], into: number[]): unknown {
  const cli = resolve(import.meta.dirname, '../../bin/tessera.mjs')
  const t0 = performance.now()
  const r = spawnSync(process.execPath, [cli, '--db', path, ...args, '--json'], {
    env: { ...process.env, TESSERA_DB_PASSPHRASE: PASSPHRASE },
    encoding: 'utf8',
  })
  into.push((performance.now() - t0) / 1000)
  if (r.status !== 0) throw new Error(`tessera ${args.join(' ')} failed (${r.status}): ${r.stderr}`)
  return JSON.parse(r.stdout)
}

export interface AuditBenchFigures {
  events: number
  fileMb: number
  seedSeconds: number
  /** `node bin/tessera.mjs audit verify`, spawned: start-up, key derivation, open, verify, exit. */
  cliSeconds: number[]
  /** `tessera db check`, spawned: integrity_check and foreign_key_check while the workers verify the chain. */
  checkSeconds: number[]
  /** AuditLog.verify('full') in this process, the database already open. */
  inProcessSeconds: number
  /** The same chain walked on one thread, as every check did before it ran in parallel. */
  sequentialSeconds: number
}

export async function auditBench(events = 1_000_000, keep?: string): Promise<AuditBenchFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-audit-bench-'))
  const path = keep ? resolve(keep) : join(dir, 'audit.db')
  try {
    const seedSeconds = await seedAuditFile(path, events)
    const cliSeconds: number[] = []
    const checkSeconds: number[] = []
    for (let i = 0; i < CLI_RUNS; i++) {
      const out = timedCli(path, ['audit', 'verify'], cliSeconds) as { count?: number }
      if (out.count !== events) throw new Error(`tessera audit verify counted ${out.count}, not ${events}`)
    }
    for (let i = 0; i < CLI_RUNS; i++) {
      const out = timedCli(path, ['db', 'check'], checkSeconds) as { ok?: boolean }
      if (out.ok !== true) throw new Error('tessera db check did not pass')
    }
    const opened = await openDatabase(path, {
      keychain: createKeytarKeychain('Tessera-bench'),
      passphrase: () => PASSPHRASE,
    })
    const services = buildServices(opened, {
      clock: systemClock,
      passwordPolicy: PasswordPolicy.fromFile(
        join(import.meta.dirname, '../../resources/common-passwords.txt'),
      ),
    })
    const t0 = performance.now()
    const v = await services.audit.verify('full')
    const inProcessSeconds = (performance.now() - t0) / 1000
    const oneThread = new AuditLog(services.db, systemClock, {
      parallel: { parallelFrom: Infinity, threads: 1 },
    })
    const t1 = performance.now()
    const s = await oneThread.verify('full')
    const sequentialSeconds = (performance.now() - t1) / 1000
    await services.close()
    if (!v.ok || !s.ok) throw new Error('the seeded chain does not verify')
    return {
      events,
      fileMb: statSync(path).size / 1e6,
      seedSeconds,
      cliSeconds,
      checkSeconds,
      inProcessSeconds,
      sequentialSeconds,
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

const runs = (seconds: number[]): string => {
  const median = [...seconds].sort((a, b) => a - b)[Math.floor(seconds.length / 2)]!
  return `median ${median.toFixed(2)} s of ${seconds.map((s) => s.toFixed(2)).join(', ')}`
}

export function printAuditBench(f: AuditBenchFigures): void {
  const rate = f.events / f.inProcessSeconds
  console.log(
    `\nAudit trail: ${f.events.toLocaleString('en')} events, ${f.fileMb.toFixed(0)} MB encrypted file (seeded in ${f.seedSeconds.toFixed(1)} s)`,
  )
  console.log(`  tessera audit verify, end to end (target < 3 s at 1M): ${runs(f.cliSeconds)}`)
  console.log(
    `  tessera db check, end to end (integrity, foreign keys, audit chain): ${runs(f.checkSeconds)}`,
  )
  console.log(
    `  in-process verify: ${f.inProcessSeconds.toFixed(2)} s, ${(rate / 1e6).toFixed(2)} M events/s; 10M projected: ${(1e7 / rate).toFixed(1)} s (+ start-up)`,
  )
  console.log(`  the same on one thread (the walk before): ${f.sequentialSeconds.toFixed(2)} s`)
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const { values } = parseArgs({
    options: { events: { type: 'string', default: '1000000' }, keep: { type: 'string' } },
  })
  printAuditBench(await auditBench(Number(values.events), values.keep))
}
