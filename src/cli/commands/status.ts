import type { Command } from '../command'

export const statusCommand: Command = {
  path: ['status'],
  summary: 'Show the database: schema version, users, key store, cipher, audit trail',
  usage: 'status',
  options: {},
  env: [
    'TESSERA_DB_PASSPHRASE  the database passphrase, for a passphrase-protected database',
    'TESSERA_TEAM_PASSPHRASE  the team passphrase, for a team database whose key this machine does not hold',
  ],
  examples: [
    'tessera status',
    'tessera status --db /srv/tessera/tessera.db --json',
    'tessera status --database-url postgres://tessera@db.example.com/tessera',
  ],
  async run(ctx) {
    const status = await ctx.withServices((s) => s.status())
    return {
      data: status,
      text: [
        `Engine        ${status.engine === 'postgres' ? 'PostgreSQL (team database)' : 'SQLite (encrypted file)'}`,
        `Database      ${status.path}`,
        `Schema        version ${status.schemaVersion}`,
        `Users         ${status.userCount}`,
        `Key store     ${status.keyStore}`,
        `Protection    ${status.cipher}`,
        `Audit events  ${status.auditEventCount}`,
        `Audit head    ${status.auditHeadHash}`,
      ],
    }
  },
}
