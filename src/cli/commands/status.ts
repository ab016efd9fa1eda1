import type { Command } from '../command'

export const statusCommand: Command = {
  path: ['status'],
  summary: 'Show the database: schema version, users, key store, cipher, audit trail',
  usage: 'status',
  options: {},
  env: ['TESSERA_DB_PASSPHRASE  the database passphrase, for a passphrase-protected database'],
  examples: ['tessera status', 'tessera status --db /srv/tessera/tessera.db --json'],
  async run(ctx) {
    const status = await ctx.withServices((s) => s.status())
    return {
      data: status,
      text: [
        `Database      ${status.path}`,
        `Schema        version ${status.schemaVersion}`,
        `Users         ${status.userCount}`,
        `Key store     ${status.keyStore}`,
        `Cipher        ${status.cipher}`,
        `Audit events  ${status.auditEventCount}`,
        `Audit head    ${status.auditHeadHash}`,
      ],
    }
  },
}
