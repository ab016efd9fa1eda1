import Database from 'better-sqlite3-multiple-ciphers'
import { describe, expect, it } from 'vitest'
import { LATEST_SCHEMA_VERSION, migrate, migrations } from './index'

const fresh = () => {
  const db = new Database(':memory:')
  db.pragma('foreign_keys = ON')
  return db
}
const tables = (db: Database.Database) =>
  db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all()

describe('migrations', () => {
  it('are numbered 1..N without gaps, and the latest is the schema version', () => {
    expect(migrations.map((m) => m.version)).toEqual(migrations.map((_, i) => i + 1))
    expect(LATEST_SCHEMA_VERSION).toBe(migrations.length)
  })

  it('run once: a second migrate changes nothing', () => {
    const db = fresh()
    expect(migrate(db)).toBe(LATEST_SCHEMA_VERSION)
    const schema = db.prepare('SELECT sql FROM sqlite_master ORDER BY name').pluck().all()
    expect(migrate(db)).toBe(LATEST_SCHEMA_VERSION)
    expect(db.prepare('SELECT sql FROM sqlite_master ORDER BY name').pluck().all()).toEqual(schema)
  })

  it('roll back a migration that fails half-way', () => {
    const db = fresh()
    db.exec('CREATE TABLE users (x)') // collides with 0001
    expect(() => migrate(db)).toThrow(/already exists/)
    expect(db.pragma('user_version', { simple: true })).toBe(0)
    expect(tables(db)).toEqual(['users'])
  })
})

describe('0001 initial', () => {
  const db = fresh()
  migrate(db, 1)

  it('creates the STRICT tables and sets user_version 1', () => {
    expect(db.pragma('user_version', { simple: true })).toBe(1)
    expect(tables(db)).toEqual(['audit_events', 'login_throttle', 'settings', 'users'])
    const strict = db
      .prepare("SELECT name FROM pragma_table_list WHERE strict = 1 AND schema = 'main' ORDER BY name")
      .pluck()
      .all()
    expect(strict).toEqual(['audit_events', 'login_throttle', 'settings', 'users'])
  })

  it('enforces types, roles and email uniqueness regardless of case', () => {
    const insert = db.prepare(
      "INSERT INTO users (email, name, role, created_at, updated_at) VALUES (?, 'N', ?, ?, 0)",
    )
    insert.run('a@example.com', 'member', 1)
    expect(() => insert.run('A@EXAMPLE.COM', 'member', 1)).toThrow(/UNIQUE/)
    expect(() => insert.run('b@example.com', 'superuser', 1)).toThrow(/CHECK/)
    expect(() => insert.run('c@example.com', 'member', 'yesterday')).toThrow(
      /cannot store TEXT value in INTEGER column/,
    )
  })

  it('makes audit events append-only and removes throttle rows with their user', () => {
    db.prepare(
      "INSERT INTO audit_events (seq, at, type, data, prev_hash, hash) VALUES (1, 0, 't', '{}', 'p', 'h')",
    ).run()
    expect(() => db.prepare('UPDATE audit_events SET at = 1').run()).toThrow(/append-only/)
    expect(() => db.prepare('DELETE FROM audit_events').run()).toThrow(/append-only/)
    const id = db.prepare("SELECT id FROM users WHERE email = 'a@example.com'").pluck().get()
    db.prepare(
      "INSERT INTO login_throttle (user_id, factor, consecutive_failures) VALUES (?, 'password', 3)",
    ).run(id)
    db.prepare('DELETE FROM users WHERE id = ?').run(id)
    expect(db.prepare('SELECT count(*) FROM login_throttle').pluck().get()).toBe(0)
  })
})

describe('0002 two-factor', () => {
  const db = fresh()
  migrate(db, 1)
  db.prepare(
    "INSERT INTO users (email, name, role, created_at, updated_at) VALUES ('a@example.com', 'A', 'member', 0, 0)",
  ).run()
  migrate(db, 2)

  it('adds require_2fa (off for existing users) and the 2FA tables', () => {
    expect(db.pragma('user_version', { simple: true })).toBe(2)
    expect(db.prepare('SELECT require_2fa FROM users').pluck().get()).toBe(0)
    expect(tables(db)).toEqual(expect.arrayContaining(['totp_credentials', 'totp_pending', 'backup_codes']))
  })

  it('keeps backup codes to five slots per user and removes them with the user', () => {
    const ins = db.prepare(
      "INSERT INTO backup_codes (user_id, slot, code_hash, created_at) VALUES (1, ?, 'h', 0)",
    )
    for (let s = 1; s <= 5; s++) ins.run(s)
    expect(() => ins.run(6)).toThrow(/CHECK/)
    expect(() => ins.run(1)).toThrow(/UNIQUE|PRIMARY/)
    db.prepare('INSERT INTO totp_credentials (user_id, secret, enrolled_at) VALUES (1, ?, 0)').run(
      Buffer.alloc(20),
    )
    db.prepare('DELETE FROM users WHERE id = 1').run()
    expect(db.prepare('SELECT count(*) FROM backup_codes').pluck().get()).toBe(0)
    expect(db.prepare('SELECT count(*) FROM totp_credentials').pluck().get()).toBe(0)
  })
})

describe('0003 user admin', () => {
  const db = fresh()
  migrate(db, 2)
  const now = 1_000
  db.prepare(
    "INSERT INTO users (email, name, role, require_2fa, created_at, updated_at) VALUES ('a@example.com', 'A', 'member', 1, ?, ?)",
  ).run(now, now)
  db.prepare('INSERT INTO totp_credentials (user_id, secret, enrolled_at) VALUES (1, ?, 5)').run(
    Buffer.alloc(20),
  )
  for (let s = 1; s <= 5; s++) {
    db.prepare(
      "INSERT INTO backup_codes (user_id, slot, code_hash, created_at, used_at) VALUES (1, ?, 'h', 0, ?)",
    ).run(s, s <= 2 ? 9 : null)
  }
  migrate(db, 3)
  const row = () =>
    db
      .prepare(
        'SELECT totp_enrolled_at, backup_codes_left, twofa_state, at_risk, require_2fa_since FROM users WHERE id = 1',
      )
      .get()

  it('fills the 2FA summary of existing users', () => {
    expect(db.pragma('user_version', { simple: true })).toBe(3)
    expect(row()).toEqual({
      totp_enrolled_at: 5,
      backup_codes_left: 3,
      twofa_state: 'enrolled',
      at_risk: 0,
      require_2fa_since: now,
    })
  })

  it('keeps the summary in step with the 2FA tables', () => {
    db.prepare('UPDATE backup_codes SET used_at = 10 WHERE slot IN (3, 4)').run()
    expect(row()).toMatchObject({ backup_codes_left: 1, at_risk: 1 })
    db.prepare('UPDATE backup_codes SET used_at = 11 WHERE slot = 3').run() // already used: no change
    expect(row()).toMatchObject({ backup_codes_left: 1 })
    db.prepare('DELETE FROM backup_codes WHERE user_id = 1').run()
    db.prepare('DELETE FROM totp_credentials WHERE user_id = 1').run()
    expect(row()).toMatchObject({
      totp_enrolled_at: null,
      backup_codes_left: 0,
      twofa_state: 'required',
      at_risk: 0,
    })
  })
})

describe('0003 dashboard counters', () => {
  it('keep the figures equal to a full count through inserts, updates and deletes', () => {
    const db = fresh()
    migrate(db)
    const ins = db.prepare(
      "INSERT INTO users (email, name, role, status, require_2fa, created_at, updated_at) VALUES (?, 'N', 'member', ?, ?, 0, 0)",
    )
    for (let i = 1; i <= 40; i++) ins.run(`u${i}@example.com`, i % 5 === 0 ? 'invited' : 'active', i % 2)
    for (let i = 1; i <= 20; i++) {
      db.prepare('INSERT INTO totp_credentials (user_id, secret, enrolled_at) VALUES (?, ?, 1)').run(
        i,
        Buffer.alloc(20),
      )
      for (let s = 1; s <= 5; s++) {
        db.prepare(
          "INSERT INTO backup_codes (user_id, slot, code_hash, created_at) VALUES (?, ?, 'h', 0)",
        ).run(i, s)
      }
    }
    const week = Date.UTC(2026, 10, 23) // a Monday
    db.prepare('UPDATE backup_codes SET used_at = ? WHERE user_id <= 6 AND slot <= 4').run(
      week + 3 * 86_400_000,
    )
    db.prepare("UPDATE users SET status = 'active' WHERE id = 5").run()
    db.prepare('UPDATE users SET require_2fa = 1 WHERE id = 2').run()
    db.prepare('DELETE FROM users WHERE id IN (3, 30)').run()
    db.prepare('DELETE FROM totp_credentials WHERE user_id = 4').run()
    const kept = db
      .prepare('SELECT users, enrolled, required, required_enrolled, at_risk, invited FROM user_stats')
      .get()
    const counted = db
      .prepare(
        `SELECT count(*) AS users, sum(twofa_state = 'enrolled') AS enrolled, sum(twofa_state = 'required') AS required,
           sum(twofa_state = 'enrolled' AND require_2fa = 1) AS required_enrolled, sum(at_risk) AS at_risk,
           sum(status = 'invited') AS invited FROM users`,
      )
      .get()
    expect(kept).toEqual(counted)
    expect(db.prepare('SELECT week_start, uses FROM backup_code_use_weekly').all()).toEqual([
      { week_start: week, uses: 24 },
    ])
  })
})

describe('0004 sms outbox', () => {
  const db = fresh()
  migrate(db, 3)
  migrate(db, 4)
  const insert = db.prepare(
    `INSERT INTO sms_outbox (to_e164, body, display_text, kind, status, next_attempt_at, created_at, updated_at)
     VALUES (?, 'Your code is 123456', 'Your code is ••••••', 'login_code', ?, 0, 0, 0)`,
  )

  it('creates the STRICT outbox with the worker index and sets user_version 4', () => {
    expect(db.pragma('user_version', { simple: true })).toBe(4)
    expect(db.prepare("SELECT strict FROM pragma_table_list WHERE name = 'sms_outbox'").pluck().get()).toBe(1)
    const plan = db
      .prepare(
        "EXPLAIN QUERY PLAN SELECT id FROM sms_outbox WHERE status IN ('queued', 'sending') AND next_attempt_at <= 5",
      )
      .all() as { detail: string }[]
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/sms_outbox_due/)
  })

  it('accepts E.164 numbers and known statuses only', () => {
    insert.run('+34612345123', 'queued')
    expect(() => insert.run('0034612345123', 'queued')).toThrow(/CHECK/)
    expect(() => insert.run('+34612345123', 'lost')).toThrow(/CHECK/)
  })

  it('never lets a message with a SID go back to waiting', () => {
    const id = Number(insert.run('+34612345124', 'sending').lastInsertRowid)
    db.prepare("UPDATE sms_outbox SET status = 'sent', provider_sid = 'SM1' WHERE id = ?").run(id)
    expect(() => db.prepare("UPDATE sms_outbox SET status = 'queued' WHERE id = ?").run(id)).toThrow(/CHECK/)
  })
})

describe('0005 phones', () => {
  const db = fresh()
  migrate(db, 4)
  const userId = Number(
    db
      .prepare(
        "INSERT INTO users (email, name, role, created_at, updated_at) VALUES ('p@example.com', 'P', 'member', 0, 0)",
      )
      .run().lastInsertRowid,
  )
  migrate(db, 5)
  const insertCode = db.prepare(
    "INSERT INTO sms_codes (user_id, purpose, code_hash, created_at, expires_at, tries) VALUES (?, ?, 'salt:hash', ?, 0, ?)",
  )

  it('creates the STRICT phone and code tables with the hourly index and sets user_version 5', () => {
    expect(db.pragma('user_version', { simple: true })).toBe(5)
    const strict = db
      .prepare(
        "SELECT name FROM pragma_table_list WHERE strict = 1 AND name IN ('phones', 'phone_pending', 'sms_codes') ORDER BY name",
      )
      .pluck()
      .all()
    expect(strict).toEqual(['phone_pending', 'phones', 'sms_codes'])
    const plan = db
      .prepare('EXPLAIN QUERY PLAN SELECT created_at FROM sms_codes WHERE user_id = 1 AND created_at > 5')
      .all() as { detail: string }[]
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/sms_codes_by_user/)
  })

  it('accepts E.164 numbers, known purposes and at most 3 tries only', () => {
    const phone = db.prepare(
      'INSERT INTO phones (user_id, e164, verified_at, created_at, updated_at) VALUES (?, ?, 0, 0, 0)',
    )
    expect(() => phone.run(userId, '0034612345123')).toThrow(/CHECK/)
    phone.run(userId, '+34612345123')
    insertCode.run(userId, 'login', 1, 3)
    expect(() => insertCode.run(userId, 'other', 1, 0)).toThrow(/CHECK/)
    expect(() => insertCode.run(userId, 'login', 1, 4)).toThrow(/CHECK/)
  })

  it('removes a phone, its pending number and its codes with the user', () => {
    const codeId = Number(insertCode.run(userId, 'phone_verify', 2, 0).lastInsertRowid)
    db.prepare(
      "INSERT INTO phone_pending (user_id, e164, code_id, expires_at, created_at) VALUES (?, '+34612345456', ?, 0, 0)",
    ).run(userId, codeId)
    db.prepare('DELETE FROM users WHERE id = ?').run(userId)
    for (const t of ['phones', 'phone_pending', 'sms_codes']) {
      expect(db.prepare(`SELECT count(*) FROM ${t}`).pluck().get()).toBe(0)
    }
  })
})

describe('0006 recovery', () => {
  const db = fresh()
  migrate(db, 5)
  const addUser = db.prepare(
    "INSERT INTO users (email, name, role, created_at, updated_at) VALUES (?, 'R', 'member', 0, 0)",
  )
  const userId = Number(addUser.run('r@example.com').lastInsertRowid)
  const agentId = Number(addUser.run('agent@example.com').lastInsertRowid)
  migrate(db, 6)
  const request = db.prepare(
    "INSERT INTO recovery_requests (user_id, status, message, contact, created_at, updated_at, expires_at) VALUES (?, ?, 'lost it', 'desk 4', 0, 0, 10)",
  )

  it('creates the STRICT recovery tables and sets user_version 6', () => {
    expect(db.pragma('user_version', { simple: true })).toBe(6)
    const strict = db
      .prepare(
        "SELECT name FROM pragma_table_list WHERE strict = 1 AND (name LIKE 'recovery%' OR name = 'access_codes') ORDER BY name",
      )
      .pluck()
      .all()
    expect(strict).toEqual([
      'access_codes',
      'recovery_approvals',
      'recovery_checks',
      'recovery_notes',
      'recovery_requests',
    ])
  })

  it('allows one live request per user, any number of finished ones, and known statuses only', () => {
    const first = Number(request.run(userId, 'open').lastInsertRowid)
    expect(() => request.run(userId, 'approved')).toThrow(/UNIQUE/)
    request.run(userId, 'denied')
    request.run(userId, 'expired')
    expect(() => request.run(agentId, 'lost')).toThrow(/CHECK/)
    db.prepare("UPDATE recovery_requests SET status = 'completed' WHERE id = ?").run(first)
    request.run(userId, 'verifying')
  })

  it('keeps one approval per agent and unique code hashes', () => {
    const id = Number(request.run(agentId, 'verifying').lastInsertRowid)
    const approve = db.prepare(
      'INSERT INTO recovery_approvals (request_id, agent_id, created_at) VALUES (?, ?, 0)',
    )
    approve.run(id, userId)
    expect(() => approve.run(id, userId)).toThrow(/UNIQUE|PRIMARY/)
    const code = db.prepare(
      "INSERT INTO access_codes (request_id, user_id, code_hash, delivery, created_at, expires_at) VALUES (?, ?, 'h1', ?, 0, 1)",
    )
    code.run(id, agentId, 'sms')
    expect(() => code.run(id, agentId, 'agent')).toThrow(/UNIQUE/)
  })

  it('removes requests, checks, notes, approvals and codes with the user', () => {
    db.prepare('DELETE FROM users').run()
    for (const t of [
      'recovery_requests',
      'recovery_checks',
      'recovery_notes',
      'recovery_approvals',
      'access_codes',
    ]) {
      expect(db.prepare(`SELECT count(*) FROM ${t}`).pluck().get()).toBe(0)
    }
  })
})

describe('0007 sms status', () => {
  const db = fresh()
  migrate(db, 7)

  it('finds Twilio messages awaiting a delivery status through a partial index', () => {
    expect(db.pragma('user_version', { simple: true })).toBe(7)
    const plan = db
      .prepare(
        "EXPLAIN QUERY PLAN SELECT id FROM sms_outbox WHERE status = 'sent' AND provider = 'twilio' AND updated_at <= 5 ORDER BY updated_at",
      )
      .all() as { detail: string }[]
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/sms_outbox_awaiting_status/)
  })
})

describe('0008 phone risk', () => {
  const db = fresh()
  migrate(db, 7)
  const addUser = db.prepare(
    "INSERT INTO users (email, name, role, created_at, updated_at) VALUES (?, 'R', 'member', 0, 0)",
  )
  const withPhone = Number(addUser.run('phone@example.com').lastInsertRowid)
  const without = Number(addUser.run('nophone@example.com').lastInsertRowid)
  for (const id of [withPhone, without]) {
    db.prepare('INSERT INTO totp_credentials (user_id, secret, enrolled_at) VALUES (?, ?, 1)').run(
      id,
      Buffer.alloc(20),
    )
    for (let slot = 1; slot <= 5; slot++) {
      db.prepare("INSERT INTO backup_codes (user_id, slot, code_hash, created_at) VALUES (?, ?, 'h', 0)").run(
        id,
        slot,
      )
    }
  }
  db.prepare(
    "INSERT INTO phones (user_id, e164, verified_at, created_at, updated_at) VALUES (?, '+34612345123', 0, 0, 0)",
  ).run(withPhone)
  expect(db.prepare('SELECT at_risk FROM user_stats').pluck().get()).toBe(0)
  migrate(db, 8)

  it('counts an enrolled user without a verified phone as at risk, existing rows included', () => {
    expect(db.pragma('user_version', { simple: true })).toBe(8)
    const risk = db.prepare('SELECT at_risk FROM users WHERE id = ?').pluck()
    expect([risk.get(withPhone), risk.get(without)]).toEqual([0, 1])
    expect(db.prepare('SELECT at_risk FROM user_stats').pluck().get()).toBe(1)
    db.prepare('DELETE FROM users WHERE id = ?').run(without)
    expect(db.prepare('SELECT at_risk, users FROM user_stats').get()).toEqual({ at_risk: 0, users: 1 })
  })
})

describe('0009 privilege boundaries', () => {
  const db = fresh()
  migrate(db, 8)
  const addUser = db.prepare(
    "INSERT INTO users (email, name, role, status, created_at, updated_at) VALUES (?, ?, ?, 'active', ?, ?)",
  )
  const owner = Number(addUser.run('o@example.com', 'O', 'owner', 100, 100).lastInsertRowid)
  const admin = Number(addUser.run('a@example.com', 'A', 'admin', 200, 200).lastInsertRowid)
  const event = db.prepare(
    "INSERT INTO audit_events (at, type, actor_id, subject_id, data, prev_hash, hash) VALUES (?, ?, ?, ?, '{}', '', '')",
  )
  event.run(200, 'user.created', owner, admin)
  event.run(300, 'user.invitation_resent', owner, admin)
  event.run(400, 'user.activated', admin, admin)
  db.prepare(
    "INSERT INTO login_throttle (user_id, factor, consecutive_failures) VALUES (?, 'password', 100)",
  ).run(admin)
  db.prepare(
    `INSERT INTO sms_outbox (to_e164, body, display_text, kind, status, created_at, updated_at)
     VALUES ('+34612345123', 'Your code is 123456', 'Your code is ••••••', 'login_code', 'sent', 1, 1),
            ('+34612345123', 'Your code is 654321', 'Your code is ••••••', 'login_code', 'queued', 2, 2)`,
  ).run()
  migrate(db, 9)

  it('fills who created each user, and when they were last invited and activated, from the audit trail', () => {
    const row = db.prepare('SELECT created_by, invited_at, activated_at, must_enroll FROM users WHERE id = ?')
    expect(row.get(admin)).toEqual({ created_by: owner, invited_at: 300, activated_at: 400, must_enroll: 0 })
    expect(row.get(owner)).toEqual({ created_by: null, invited_at: null, activated_at: null, must_enroll: 0 })
  })

  it('keeps an existing 100-failure lock as a permanent one', () => {
    expect(db.prepare('SELECT permanent FROM login_throttle WHERE user_id = ?').pluck().get(admin)).toBe(1)
  })

  it('blanks the code of messages already sent, and keeps the one still waiting to leave', () => {
    expect(db.prepare('SELECT body FROM sms_outbox ORDER BY id').pluck().all()).toEqual([
      'Your code is ••••••',
      'Your code is 654321',
    ])
  })

  it('throttles unknown email addresses in a table of their own, whatever their case', () => {
    db.prepare("INSERT INTO email_throttle (email, consecutive_failures) VALUES ('x@example.com', 1)").run()
    expect(() =>
      db
        .prepare("INSERT INTO email_throttle (email, consecutive_failures) VALUES ('X@Example.com', 1)")
        .run(),
    ).toThrow(/UNIQUE|PRIMARY KEY/)
  })
})

describe('0010 engine neutral', () => {
  const db = fresh()
  migrate(db, 9)
  db.prepare(
    `INSERT INTO sms_outbox (to_e164, body, display_text, kind, status, created_at, updated_at)
     VALUES ('+34612345123', 'Your code is ••••••', 'Your code is ••••••', 'login_code', 'sent', 1, 1)`,
  ).run()
  migrate(db, 10)

  it('gives each message the lookup key the SMS caps count by: the number itself in the file', () => {
    expect(db.prepare('SELECT to_key FROM sms_outbox').pluck().all()).toEqual(['+34612345123'])
    const plan = db
      .prepare(
        "EXPLAIN QUERY PLAN SELECT count(*) FROM sms_outbox WHERE to_key = '+34612345123' AND created_at >= 0",
      )
      .all() as { detail: string }[]
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/sms_outbox_by_key/)
  })

  it('states the at-risk partial indexes as `at_risk = 1`, the term the Users page filters by', () => {
    const plan = db
      .prepare('EXPLAIN QUERY PLAN SELECT id FROM users WHERE at_risk = 1 ORDER BY name COLLATE NOCASE, id')
      .all() as { detail: string }[]
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/users_risk_by_name/)
    expect(
      db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'sms_outbox_by_number'").pluck().get(),
    ).toBe(0)
  })
})

describe('0012 import runs', () => {
  const db = fresh()
  migrate(db, 11)
  for (const email of ['a@example.com', 'b@example.com'])
    db.prepare(
      "INSERT INTO users (email, name, role, created_at, updated_at) VALUES (?, 'A', 'member', 1, 1)",
    ).run(email)
  migrate(db, 12)

  it("keeps an import's undelivered codes per user, going with the user or the run", () => {
    db.prepare(
      "INSERT INTO import_runs (id, actor_id, file_sha256, total, started_at, updated_at) VALUES ('r1', NULL, 'f', 1, 1, 1)",
    ).run()
    db.prepare("INSERT INTO import_codes (user_id, run_id, code) VALUES (1, 'r1', 'CODE')").run()
    expect(() =>
      db.prepare("INSERT INTO import_codes (user_id, run_id, code) VALUES (1, 'r1', 'X')").run(),
    ).toThrow(/UNIQUE|PRIMARY KEY/)
    expect(() =>
      db.prepare("INSERT INTO import_codes (user_id, run_id, code) VALUES (2, 'nope', 'X')").run(),
    ).toThrow(/FOREIGN KEY/)
    db.prepare('DELETE FROM users WHERE id = 1').run()
    expect(db.prepare('SELECT count(*) FROM import_codes').pluck().get()).toBe(0)
    expect(db.prepare('SELECT count(*) FROM import_runs').pluck().get()).toBe(1)
  })
})

describe('0013 agent facts', () => {
  const db = fresh()
  migrate(db, 13)
  const plan = (q: string) =>
    (db.prepare(`EXPLAIN QUERY PLAN ${q}`).all() as { detail: string }[]).map((r) => r.detail).join(' ')

  it("reads a person's events of some types since a time, and their requests, by index", () => {
    expect(
      plan(
        "SELECT type, count(*), max(at) FROM audit_events WHERE subject_id = 1 AND type IN ('login.failed', '2fa.code_refused', 'account.locked') AND at >= 5 AND (type <> '2fa.code_refused' OR data NOT LIKE '%\"during\":\"enrollment\"%') GROUP BY type",
      ),
    ).toMatch(/USING (COVERING )?INDEX audit_events_subject_type \(subject_id=\? AND type=\? AND at>\?\)/)
    expect(
      plan(
        "SELECT at, data FROM audit_events WHERE subject_id = 1 AND type = 'login.succeeded' ORDER BY at DESC LIMIT 1",
      ),
    ).toMatch(/USING INDEX audit_events_subject_type \(subject_id=\? AND type=\?\)$/)
    expect(
      plan('SELECT id, status FROM recovery_requests WHERE user_id = 1 AND id <> 3 ORDER BY id DESC LIMIT 5'),
    ).toMatch(/USING INDEX recovery_requests_by_user \(user_id=\?\)$/)
  })

  it('reads the alerting events appended since the last look by the range of seq alone', () => {
    expect(
      plan(
        "SELECT seq FROM audit_events WHERE seq > 5 AND seq <= 10 AND type || '' IN ('recovery.requested', 'account.locked') ORDER BY seq",
      ),
    ).toBe('SEARCH audit_events USING INTEGER PRIMARY KEY (rowid>? AND rowid<?)')
  })
})

describe('0014 preferences', () => {
  const db = fresh()
  migrate(db, 13)
  db.prepare(
    "INSERT INTO users (email, name, role, password_hash, created_at, updated_at) VALUES ('a@example.com', 'A', 'owner', 'h', 1, 1)",
  ).run()
  migrate(db, 14)

  it('gives every person, existing ones too, the OS language and theme until they choose', () => {
    expect(db.prepare('SELECT language, theme FROM users').get()).toEqual({ language: null, theme: 'system' })
  })

  it('keeps only the languages and themes the console has', () => {
    db.prepare("UPDATE users SET language = 'es', theme = 'dark'").run()
    expect(db.prepare('SELECT language, theme FROM users').get()).toEqual({ language: 'es', theme: 'dark' })
    expect(() => db.prepare("UPDATE users SET language = 'fr'").run()).toThrow(/CHECK/)
    expect(() => db.prepare("UPDATE users SET theme = 'sepia'").run()).toThrow(/CHECK/)
    expect(() => db.prepare('UPDATE users SET theme = NULL').run()).toThrow(/NOT NULL/)
  })
})

describe('0015 re-sent codes', () => {
  const db = fresh()
  migrate(db, 14)
  db.prepare(
    "INSERT INTO import_runs (id, actor_id, file_sha256, total, started_at, updated_at) VALUES ('r1', NULL, 'f', 1, 1, 1)",
  ).run()
  migrate(db, 15)

  it('calls every earlier run an import, and a run is an import or a re-send', () => {
    expect(db.prepare('SELECT kind FROM import_runs').pluck().all()).toEqual(['import'])
    db.prepare(
      "INSERT INTO import_runs (id, actor_id, file_sha256, total, started_at, updated_at, kind) VALUES ('r2', NULL, '', 3, 1, 1, 'resend')",
    ).run()
    expect(() =>
      db
        .prepare(
          "INSERT INTO import_runs (id, actor_id, file_sha256, total, started_at, updated_at, kind) VALUES ('r3', NULL, '', 3, 1, 1, 'other')",
        )
        .run(),
    ).toThrow(/CHECK/)
  })
})

describe('0016 audit type index', () => {
  const db = fresh()
  migrate(db, 15)
  const indexes = () =>
    db
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'audit_events' ORDER BY name",
      )
      .pluck()
      .all()
  const plan = (q: string) =>
    (db.prepare(`EXPLAIN QUERY PLAN ${q}`).all() as { detail: string }[]).map((r) => r.detail).join(' ')
  const before = indexes()
  migrate(db, 16)

  it('leaves the audit trail the two per-person indexes, so an append writes three pages, not four', () => {
    expect(before).toEqual(['audit_events_by_type', 'audit_events_subject', 'audit_events_subject_type'])
    expect(indexes()).toEqual(['audit_events_subject', 'audit_events_subject_type'])
  })

  it("reads the Audit log's pages by seq whatever the filter, and a person's events by their indexes", () => {
    const page = 'SELECT seq FROM audit_events e WHERE %s AND e.seq < 100 ORDER BY e.seq DESC LIMIT 50'
    for (const where of [
      '(e.actor_id = 1 OR e.subject_id = 1)',
      "(e.type LIKE 'login.%' OR e.type = 'logout')",
      "e.type = 'policy.updated'",
      '(e.at >= 5 AND e.at < 10)',
    ]) {
      expect(plan(page.replace('%s', where))).toBe('SEARCH e USING INTEGER PRIMARY KEY (rowid<?)')
    }
    // The user page's recent events: the newest of one person's, without sorting them all.
    expect(plan('SELECT seq FROM audit_events WHERE subject_id = 1 ORDER BY seq DESC LIMIT 20')).toBe(
      'SEARCH audit_events USING COVERING INDEX audit_events_subject (subject_id=?)',
    )
    expect(
      plan(
        "SELECT at, data FROM audit_events WHERE subject_id = 1 AND type = 'login.succeeded' ORDER BY at DESC LIMIT 1",
      ),
    ).toMatch(/USING INDEX audit_events_subject_type \(subject_id=\? AND type=\?\)$/)
  })
})
