// npm run seed -- --users 100000 [--db PATH] [--owner-email EMAIL]: a database full of realistic users,
// for trying the console at scale and for npm run bench. Created like `tessera init`: the key in the OS
// keychain, or derived from TESSERA_DB_PASSPHRASE when it is set.
import { randomBytes } from 'node:crypto'
import { hostname } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { systemClock } from '../src/main/adapters/clock'
import { createKeytarKeychain, KEYCHAIN_SERVICE } from '../src/main/adapters/keychain'
import { PasswordPolicy } from '../src/main/core/passwords'
import { resolveDbPath } from '../src/main/core/paths'
import { buildServices } from '../src/main/core/services'
import { createDatabase } from '../src/main/db/open'
import { seedUsers } from './seed/seed-users'

const { values } = parseArgs({
  options: {
    users: { type: 'string', default: '100000' },
    db: { type: 'string' },
    'owner-email': { type: 'string', default: 'owner@example.com' },
  },
})
const users = Number(values.users)
if (!Number.isInteger(users) || users < 0) throw new Error('--users must be a whole number')
const dbPath = resolveDbPath(values.db)

async function ownerPassword(): Promise<{ password: string; printed: boolean }> {
  if (!process.stdin.isTTY) {
    const chunks: Buffer[] = []
    for await (const c of process.stdin) chunks.push(c as Buffer)
    const line = Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0]
    if (line) return { password: line, printed: false }
  }
  return { password: `seed-${randomBytes(12).toString('base64url')}`, printed: true }
}

const passphrase = process.env.TESSERA_DB_PASSPHRASE
const { password, printed } = await ownerPassword()
const policy = PasswordPolicy.fromFile(join(import.meta.dirname, '../resources/common-passwords.txt'))
const client = { via: 'cli', machine: hostname() } as const
const t0 = performance.now()
let summary: Awaited<ReturnType<typeof seedUsers>> | undefined
const opened = await createDatabase(dbPath, {
  keyStore: passphrase ? 'passphrase' : 'keychain',
  keychain: createKeytarKeychain(process.env.TESSERA_KEYCHAIN_SERVICE || KEYCHAIN_SERVICE),
  ...(passphrase ? { passphrase } : {}),
  initialize: async (created) => {
    const services = buildServices(created, { clock: systemClock, passwordPolicy: policy })
    const owner = await services.auth.createOwner(
      { email: values['owner-email'], name: 'Seed Owner', password },
      client,
    )
    summary = await seedUsers(created.db, {
      users,
      now: systemClock.now(),
      ownerId: owner.id,
      onProgress: (m) => process.stderr.write(`${m}\n`),
    })
  },
})
await opened.db.close()
const s = summary!
console.log(`Seeded ${dbPath} in ${((performance.now() - t0) / 1000).toFixed(1)} s`)
console.log(
  `  ${s.users} users (+ owner ${values['owner-email']}): ${s.enrolled} enrolled, ${s.invited} invited, ` +
    `${s.disabled} disabled, ${s.locked} locked; ${s.backupCodesUsed} backup codes used; ` +
    `${s.recoveryRequests} recovery requests; ${s.auditEvents} audit events`,
)
if (printed) console.log(`  Owner password: ${password}`)
console.log(`  Every enrolled seeded user shares these backup codes: ${s.sharedBackupCodes.join(' ')}`)
