import type { Db } from '../connection'
import { migration0001 } from './0001-initial'
import { migration0002 } from './0002-two-factor'
import { migration0003 } from './0003-user-admin'
import { migration0004 } from './0004-sms'
import { migration0005 } from './0005-phones'
import { migration0006 } from './0006-recovery'
import { migration0007 } from './0007-sms-status'
import { migration0008 } from './0008-phone-risk'
import { migration0009 } from './0009-privilege-boundaries'
import { migration0010 } from './0010-engine-neutral'
import { migration0011 } from './0011-email-passwords'
import { migration0012 } from './0012-import-runs'
import { migration0013 } from './0013-agent-facts'
import { migration0014 } from './0014-preferences'
import { migration0015 } from './0015-resend-codes'
import { migration0016 } from './0016-audit-type-index'

export interface Migration {
  version: number
  name: string
  up(db: Db): void
}

export const migrations: readonly Migration[] = [
  migration0001,
  migration0002,
  migration0003,
  migration0004,
  migration0005,
  migration0006,
  migration0007,
  migration0008,
  migration0009,
  migration0010,
  migration0011,
  migration0012,
  migration0013,
  migration0014,
  migration0015,
  migration0016,
]
export const LATEST_SCHEMA_VERSION = migrations.length

/** Applies, each in its own transaction, every migration above the file's user_version. */
export function migrate(db: Db, upTo: number = LATEST_SCHEMA_VERSION): number {
  const current = db.pragma('user_version', { simple: true }) as number
  for (const m of migrations) {
    if (m.version <= current || m.version > upTo) continue
    db.transaction(() => {
      m.up(db)
      db.pragma(`user_version = ${m.version}`)
    }).immediate()
  }
  return db.pragma('user_version', { simple: true }) as number
}
