import { describe, expect, it } from 'vitest'
import { connectionError } from './open'

const URL = 'postgres://tessera@db.example:5432/team'

/** What PostgreSQL answers a client whose connection no pg_hba.conf line allows without TLS. */
const noEncryption = (user: string, database: string) =>
  Object.assign(
    new Error(
      `no pg_hba.conf entry for host "10.0.0.7", user "${user}", database "${database}", no encryption`,
    ),
    {
      code: '28000',
    },
  )

describe('connectionError', () => {
  it('reads a server refusal by its SQLSTATE, whatever words the quoted names contain', () => {
    for (const [user, database] of [
      ['timeout_admin', 'team'],
      ['tessera', 'password_vault'],
      ['authentication', 'timeouts'],
    ] as const) {
      const e = connectionError(URL, noEncryption(user, database))
      expect(e.reason, `${user}/${database}`).toBe('DB_TLS_REQUIRED')
      expect(e.message).toContain('accepts only encrypted connections')
      expect(e.message).toContain('sslrootcert')
    }
  })

  it('still reports a connection that timed out on this side, and a wrong password', () => {
    expect(connectionError(URL, new Error('timeout expired')).reason).toBe('DB_REFUSED')
    expect(connectionError(URL, new Error('timeout expired')).message).toBe(
      'PostgreSQL at db.example:5432/team did not answer in time.',
    )
    const wrong = Object.assign(new Error('password authentication failed for user "timeout"'), {
      code: '28P01',
    })
    expect(connectionError(URL, wrong).reason).toBe('DB_AUTH_FAILED')
  })
})
