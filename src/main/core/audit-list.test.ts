import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { OWNER, startBackend } from '../../../test/fixtures/harness'
import type { AuditExportDto, AuditPage, InvitationDto, SessionUser } from '../../shared/dto'
import type { AuditFilter } from '../../shared/schemas'
import type { Result } from '../../shared/result'

type Harness = Awaited<ReturnType<typeof startBackend>>
const value = <T>(r: Result<unknown>): T => {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`)
  return r.value as T
}
const MIA = { email: 'mia@example.com', name: 'Mia Lind', role: 'member' as const }
const SAM = { email: 'sam@example.com', name: 'Sam Support', role: 'support' as const }
const DAY = 24 * 60 * 60_000

describe('the Audit log: names, filters and export', () => {
  let h: Harness
  let owner: SessionUser
  let mia: number
  let sam: number
  beforeEach(async () => {
    h = await startBackend()
    owner = await h.setup()
    mia = value<InvitationDto>(await h.call('users.create', MIA)).userId
    sam = value<InvitationDto>(await h.call('users.create', SAM)).userId
  })
  afterEach(() => h.cleanup())

  const page = async (filter?: AuditFilter, limit = 100, before?: number) =>
    value<AuditPage>(
      await h.call('audit.list', { limit, ...(before ? { before } : {}), ...(filter ? { filter } : {}) }),
    )

  /** Every event the filter selects, read page by page as "Load older" does. */
  const allPages = async (filter: AuditFilter, limit: number) => {
    const events = []
    let before: number | undefined
    for (;;) {
      const p = await page(filter, limit, before)
      events.push(...p.events)
      if (p.nextBefore === null) return events
      before = p.nextBefore
    }
  }

  it('names the actor, the subject and the people inside the data, deleted ones by their recorded email', async () => {
    const { audit } = h.backend.services()
    const created = (await page()).events.find((e) => e.type === 'user.created' && e.subjectId === mia)!
    expect(created.people).toEqual({ [owner.id]: OWNER.name, [mia]: MIA.name })

    await audit.append({
      type: 'recovery.approved',
      actorId: sam,
      subjectId: mia,
      data: { requestId: 1, approvers: [sam, owner.id, 999] },
    })
    const [approved] = (await page(undefined, 1)).events
    expect(approved!.people).toEqual({
      [sam]: SAM.name,
      [mia]: MIA.name,
      [owner.id]: OWNER.name,
      999: 'a deleted user #999',
    })

    value(await h.call('users.delete', { userId: mia }))
    const events = (await page()).events
    const deleted = events.find((e) => e.type === 'user.deleted')!
    // The account is gone; the event recorded its email.
    expect(deleted.people[mia]).toBe(MIA.email)
    // Events without an email of their own name the deleted account by its number.
    const again = events.find((e) => e.type === 'recovery.approved')!
    expect(again.people[mia]).toBe(`a deleted user #${mia}`)
    // The user page and the dashboard carry the same names.
    const detail = await h.backend.services().users.detail(sam)
    expect(detail.recentEvents.find((e) => e.type === 'user.created')!.people[owner.id]).toBe(OWNER.name)
    const dashboard = await h.backend.services().users.dashboard()
    expect(dashboard.recentEvents[0]!.people[owner.id]).toBe(OWNER.name)
  })

  it('filters by person, kind and time range in the query, page by page', async () => {
    const { audit } = h.backend.services()
    const t0 = h.clock.now() - 10 * DAY
    await audit.appendHistory([
      { type: '2fa.enrolled', actorId: mia, subjectId: mia, at: t0 },
      { type: 'login.succeeded', actorId: mia, subjectId: mia, at: t0 + DAY, data: { method: 'totp' } },
      { type: '2fa.backup_code_used', actorId: mia, subjectId: mia, at: t0 + 2 * DAY, data: { slot: 1 } },
      { type: 'user.2fa_reset', actorId: owner.id, subjectId: mia, at: t0 + 3 * DAY },
      { type: 'user.2fa_required', actorId: owner.id, subjectId: sam, at: t0 + 3 * DAY },
      { type: 'login.succeeded', actorId: sam, subjectId: sam, at: t0 + 4 * DAY, data: { method: 'totp' } },
    ])
    const everything = (await page(undefined, 500)).events

    const aboutMia = await allPages({ personId: mia }, 2)
    expect(aboutMia.map((e) => e.seq)).toEqual(
      everything.filter((e) => e.actorId === mia || e.subjectId === mia).map((e) => e.seq),
    )
    expect(aboutMia.map((e) => e.type)).toContain('user.created')

    const twoFactor = await allPages({ kinds: ['two-factor'] }, 2)
    expect(twoFactor.map((e) => e.type)).toEqual([
      'user.2fa_required',
      'user.2fa_reset',
      '2fa.backup_code_used',
      '2fa.enrolled',
    ])

    const miaSignIns = await allPages({ personId: mia, kinds: ['sign-in', 'two-factor'] }, 1)
    expect(miaSignIns.map((e) => e.type)).toEqual([
      'user.2fa_reset',
      '2fa.backup_code_used',
      'login.succeeded',
      '2fa.enrolled',
    ])

    const inRange = await allPages({ from: t0 + DAY, to: t0 + 3 * DAY }, 1)
    expect(inRange.map((e) => e.type)).toEqual(['2fa.backup_code_used', 'login.succeeded'])

    const nothing = await page({ personId: sam, kinds: ['recovery'] })
    expect(nothing).toEqual({ events: [], nextBefore: null })
  })

  it('refuses a filter the contract does not allow, before any query', async () => {
    const refused = async (filter: unknown) => {
      const r = await h.call('audit.list', { limit: 10, filter })
      return r.ok ? 'OK' : r.error.code
    }
    expect(await refused({ from: 2000, to: 1000 })).toBe('VALIDATION')
    expect(await refused({ kinds: ['nonsense'] })).toBe('VALIDATION')
    expect(await refused({ personId: -1 })).toBe('VALIDATION')
    expect(await refused({ sql: '1=1' })).toBe('VALIDATION')
    expect(await refused({ personId: mia, kinds: ['users'], from: 0, to: h.clock.now() + 1 })).toBe('OK')
  })

  it('exports the filtered set (every page of it) as CSV and JSON lines, oldest first, as the CLI does', async () => {
    const { audit } = h.backend.services()
    for (let i = 0; i < 7; i++) {
      await audit.append({ type: 'login.succeeded', actorId: mia, subjectId: mia, data: { method: 'totp' } })
    }
    await audit.append({ type: 'logout', actorId: sam, subjectId: sam })
    const filter: AuditFilter = { personId: mia, kinds: ['sign-in'] }
    const shown = await allPages(filter, 3)
    expect(shown).toHaveLength(7)

    const csv = value<AuditExportDto>(await h.call('audit.export', { format: 'csv', filter }))
    const lines = csv.text.trimEnd().split('\n')
    expect(lines[0]).toBe('seq,at,type,actor_id,subject_id,data,prev_hash,hash')
    expect(csv.events).toBe(7)
    expect(lines.slice(1).map((l) => Number(l.split(',')[0]))).toEqual(shown.map((e) => e.seq).reverse())

    const jsonl = value<AuditExportDto>(await h.call('audit.export', { format: 'jsonl', filter }))
    const rows = jsonl.text
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { seq: number; type: string; actorId: number; hash: string })
    expect(rows.map((r) => r.seq)).toEqual(shown.map((e) => e.seq).reverse())
    expect(rows.every((r) => r.type === 'login.succeeded' && r.actorId === mia)).toBe(true)
    expect(rows.map((r) => r.hash)).toEqual(shown.map((e) => e.hash).reverse())

    // Without a filter: the whole trail, exactly as `tessera audit export` streams it.
    const whole = value<AuditExportDto>(await h.call('audit.export', { format: 'jsonl' }))
    let streamed = ''
    for await (const line of audit.export('jsonl')) streamed += line
    expect(whole.text).toBe(streamed)
    expect(whole.events).toBe(await audit.count())
  })
})
