import type { AuditEventDto } from '../../../shared/dto'
import { describedEventTypes, describeEvent } from './events'

/** Every event type the main process appends (src/main/core and src/main/ipc), as of this change. */
const APPENDED_TYPES = [
  '2fa.backup_code_used',
  '2fa.backup_codes_regenerated',
  '2fa.code_accepted',
  '2fa.code_refused',
  '2fa.disabled',
  '2fa.enrolled',
  '2fa.enrollment_abandoned',
  '2fa.enrollment_started',
  '2fa.revoked_after_sms_recovery',
  '2fa.revoked_after_support_recovery',
  'account.locked',
  'audit.anchored',
  'email.capped',
  'email.config_updated',
  'email.failed',
  'email.queued',
  'email.sent',
  'login.access_code_refused',
  'login.failed',
  'login.password_accepted',
  'login.refused',
  'login.sms_code_refused',
  'login.sms_code_sent',
  'login.sms_recovery',
  'login.succeeded',
  'logout',
  'password.changed',
  'password.reset',
  'password.reset_issued',
  'password.reset_refused',
  'password.reset_requested',
  'phone.code_refused',
  'phone.verification_sent',
  'phone.verified',
  'policy.updated',
  'reauth.failed',
  'recovery.approval_recorded',
  'recovery.approved',
  'recovery.checks_recorded',
  'recovery.code_issued',
  'recovery.completed',
  'recovery.denied',
  'recovery.expired',
  'recovery.request_refused',
  'recovery.requested',
  'recovery.verifying',
  'session.ended',
  'session.expired',
  'session.locked',
  'session.unlock_failed',
  'session.unlocked',
  'setup.owner_created',
  'sms.capped',
  'sms.config_updated',
  'sms.failed',
  'sms.queued',
  'sms.sent',
  'sms.undelivered',
  'user.2fa_not_required',
  'user.2fa_required',
  'user.2fa_reset',
  'user.activated',
  'user.activation_failed',
  'user.created',
  'user.deleted',
  'user.disabled',
  'user.enabled',
  'user.invitation_resent',
  'user.role_changed',
  'user.unlocked',
  'users.import_codes_delivered',
  'users.import_forgotten',
  'users.imported',
  'users.bulk_started',
  'users.bulk_finished',
]

const OWNER = 7
const MIA = 8
const SAM = 9

/** Data with every key some event carries, raw as stored: ids, ISO times, snake_case reasons. */
const RICH_DATA = {
  via: 'desktop',
  machine: 'OFFICE-PC-3',
  slot: 1,
  remaining: 4,
  purpose: 'login',
  method: 'backup_code',
  reason: 'wrong_password',
  next: 'second_factor',
  approvers: [OWNER, SAM],
  approvals: 1,
  approvalsRequired: 2,
  issuedBy: SAM,
  requestId: 40,
  effectiveAt: '2026-03-04T09:15:00.000Z',
  expiresAt: '2026-03-05T09:15:00.000Z',
  until: '2026-03-04T09:30:00.000Z',
  permanent: false,
  factor: 'second_factor',
  consecutiveFailures: 5,
  phone: '+34 ••• ••• 123',
  replaced: null,
  to: '+34 ••• ••• 123',
  kind: 'login_code',
  provider: 'twilio',
  sid: null,
  email: 'mia@example.com',
  role: 'admin',
  requireTwoFactor: true,
  changed: { idleLockMinutes: { from: 5, to: 10 }, requireTwoFactorForNewUsers: { from: false, to: true } },
  checks: ['photo_id', 'callback_known_number'],
  note: true,
  delivery: 'sms',
  count: 3,
  skipped: 1,
  codesErased: 2,
  owners: 2,
  attempts: 8,
  cap: 'hour',
  max: 3,
  was: 'approved',
  outcome: 'no_email_provider',
}

const event = (type: string, over: Partial<AuditEventDto> = {}): AuditEventDto => ({
  seq: 1234,
  at: Date.UTC(2026, 2, 4, 9, 0, 0),
  type,
  actorId: MIA,
  subjectId: MIA,
  data: RICH_DATA,
  hash: 'ab'.repeat(32),
  people: { [OWNER]: 'Olivia Owner', [MIA]: 'Mia Lind', [SAM]: 'Sam Support' },
  ...over,
})

describe('describeEvent', () => {
  it('has words for every event type the main process appends', () => {
    expect(APPENDED_TYPES.filter((t) => !describedEventTypes.includes(t))).toEqual([])
  })

  it.each(APPENDED_TYPES)('%s reads as a sentence with names, no raw ids, types or ISO times', (type) => {
    // A denial's reason is the agent's own words, quoted as written.
    const data =
      type === 'recovery.denied' ? { ...RICH_DATA, reason: 'Could not confirm the badge number' } : RICH_DATA
    for (const e of [
      event(type, { data }),
      event(type, { data, actorId: OWNER }),
      event(type, { data, actorId: null }),
    ]) {
      const s = describeEvent(e, 'en-GB')
      expect(s).toMatch(/^[A-Z“].+\.$/)
      expect(s).not.toContain(type)
      expect(s).not.toMatch(/#(7|8|9)\b/)
      expect(s).not.toMatch(/\b\d{4}-\d{2}-\d{2}T/)
      expect(s).not.toMatch(/\b(null|undefined|NaN|\[object)/)
      expect(s).not.toMatch(/[a-z]_[a-z]/)
      expect(s).not.toMatch(/\b(sid|approvers|actorId|subjectId):/)
    }
  })

  it('names the people, the slot and the machine', () => {
    expect(describeEvent(event('2fa.backup_code_used'), 'en-GB')).toBe(
      'Mia Lind signed in with backup code 1 of 5 on OFFICE-PC-3 (4 left).',
    )
    expect(describeEvent(event('recovery.approved', { actorId: SAM }), 'en-GB')).toMatch(
      /^Recovery request #40 for Mia Lind was approved by Olivia Owner and Sam Support; a code can be issued from 4 Mar 2026, \d\d:15 \S+\.$/,
    )
    expect(describeEvent(event('user.created', { actorId: OWNER }), 'en-GB')).toBe(
      'Olivia Owner invited Mia Lind as administrator, with 2FA required on OFFICE-PC-3.',
    )
    expect(
      describeEvent(event('logout', { data: { via: 'cli', machine: 'build-01' }, actorId: SAM }), 'en-GB'),
    ).toBe('Sam Support signed out from the command line on build-01.')
    expect(
      describeEvent(event('audit.anchored', { actorId: null, data: { actor: 'key-holder', to: 'file' } })),
    ).toBe('The key holder saved an anchor of the audit trail.')
  })

  it('says a deleted account the way main names it, and an unknown type in plain words', () => {
    const gone = event('user.deleted', {
      actorId: OWNER,
      people: { [OWNER]: 'Olivia Owner', [MIA]: 'mia@example.com' },
    })
    expect(describeEvent(gone)).toBe('Olivia Owner deleted the account of mia@example.com on OFFICE-PC-3.')
    const unknown = event('widget.frobnicated_twice', { actorId: OWNER, data: {} })
    expect(describeEvent(unknown)).toBe('Widget: frobnicated twice, by Olivia Owner about Mia Lind.')
  })
})

describe('describeEvent in Spanish', () => {
  it.each(APPENDED_TYPES)('%s reads as a Spanish sentence, every placeholder filled', (type) => {
    const data =
      type === 'recovery.denied' ? { ...RICH_DATA, reason: 'No se pudo confirmar la placa' } : RICH_DATA
    for (const e of [
      event(type, { data }),
      event(type, { data, actorId: OWNER }),
      event(type, { data, actorId: null }),
    ]) {
      const s = describeEvent(e, 'es-ES')
      expect(s).toMatch(/^[A-ZÁÉÍÓÚÑ“].+\.$/)
      expect(s).not.toBe(describeEvent(e, 'en-GB'))
      expect(s).not.toMatch(/{{|}}|\b(null|undefined|NaN|someone|signed|the)\b/)
      expect(s).not.toMatch(/[a-z]_[a-z]/)
    }
  })

  it('puts names, numbers, dates and lists where Spanish puts them', () => {
    expect(describeEvent(event('2fa.backup_code_used'), 'es-ES')).toBe(
      'Mia Lind inició sesión con el código de respaldo 1 de 5 en OFFICE-PC-3 (quedan 4).',
    )
    expect(describeEvent(event('recovery.approved', { actorId: SAM }), 'es-ES')).toMatch(
      /^Se aprobó la solicitud de recuperación n\.º 40 de Mia Lind por Olivia Owner y Sam Support; se puede emitir un código desde el 4 mar 2026, \d\d:15 \S+\.$/,
    )
    expect(describeEvent(event('user.created', { actorId: OWNER }), 'es-ES')).toBe(
      'Olivia Owner invitó a Mia Lind como administrador, con la 2FA obligatoria en OFFICE-PC-3.',
    )
    expect(
      describeEvent(event('logout', { data: { via: 'cli', machine: 'build-01' }, actorId: SAM }), 'es-ES'),
    ).toBe('Sam Support cerró sesión desde la línea de comandos en build-01.')
    const unknown = event('widget.frobnicated_twice', { actorId: OWNER, data: {} })
    expect(describeEvent(unknown, 'es')).toBe('Widget: frobnicated twice, por Olivia Owner sobre Mia Lind.')
  })

  it('writes plurals by the language rules and lists with Intl', () => {
    const imported = (count: number, skipped = 0) =>
      event('users.imported', { actorId: OWNER, data: { count, skipped } })
    expect(describeEvent(imported(1), 'en-GB')).toBe('Olivia Owner imported 1 person.')
    expect(describeEvent(imported(1200, 1), 'en-GB')).toBe(
      'Olivia Owner imported 1,200 people (1 already there).',
    )
    expect(describeEvent(imported(1), 'es-ES')).toBe('Olivia Owner importó 1 persona.')
    expect(describeEvent(imported(1200, 2), 'es-ES')).toBe(
      'Olivia Owner importó 1200 personas (2 ya estaban).',
    )
    expect(describeEvent(imported(1_000_000), 'es-ES')).toBe('Olivia Owner importó 1.000.000 personas.')
    const three = event('recovery.approved', {
      data: { requestId: 3, approvers: [OWNER, SAM, MIA] },
    })
    expect(describeEvent(three, 'en-GB')).toBe(
      'Recovery request #3 for Mia Lind was approved by Olivia Owner, Sam Support and Mia Lind.',
    )
    expect(describeEvent(three, 'es-ES')).toBe(
      'Se aprobó la solicitud de recuperación n.º 3 de Mia Lind por Olivia Owner, Sam Support y Mia Lind.',
    )
  })
})

it('writes English words with the dates of an OS whose language the console does not have', () => {
  const approved = event('recovery.approved', { data: { requestId: 3, approvers: [OWNER, SAM, MIA] } })
  expect(describeEvent(approved, 'de-DE')).toBe(
    'Recovery request #3 for Mia Lind was approved by Olivia Owner, Sam Support, and Mia Lind.',
  )
  expect(describeEvent(event('recovery.approved'), 'de-DE')).toContain('4. März 2026')
})
