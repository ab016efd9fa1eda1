import { readFileSync } from 'node:fs'
import type { Page } from '@playwright/test'
import type { SessionUser } from '../../src/shared/dto'
import { expect, test, type App } from './harness'
import { heading, OWNER, setUp } from './steps'

// Readable history: every event a sentence with names (the raw record behind "Details"), one formatter
// for times (the person's locale and time zone, to the second in event lists), and an Audit log that
// filters by person, kind and days and exports exactly what it shows.

const OFFICE = { via: 'desktop' as const, machine: 'OFFICE-PC-3' }
const MIA = { email: 'mia@example.com', name: 'Mia Lind', role: 'member' as const }
const SAM = { email: 'sam@example.com', name: 'Sam Support', role: 'support' as const }

const nav = (page: Page, name: string) =>
  page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name, exact: true })

/** The owner, Mia and Sam, and a morning of Mia's: a backup-code sign-in on the office PC, then out. */
async function seed(app: App) {
  const services = app.backend.services()
  const owner = (await services.users.list({ sort: 'name', limit: 5 })).users.find(
    (u) => u.email === OWNER.email,
  )!
  const actor: SessionUser = { id: owner.id, email: owner.email, name: owner.name, role: owner.role }
  const mia = (await services.users.create({ ...MIA, requireTwoFactor: true }, actor, OFFICE)).userId
  const sam = (await services.users.create(SAM, actor, OFFICE)).userId
  const { audit } = services
  await audit.append({
    type: 'login.password_accepted',
    actorId: mia,
    subjectId: mia,
    data: { ...OFFICE, next: 'second_factor' },
  })
  await audit.append({
    type: '2fa.backup_code_used',
    actorId: mia,
    subjectId: mia,
    data: { ...OFFICE, purpose: 'login', slot: 1, remaining: 4 },
  })
  await audit.append({
    type: 'login.succeeded',
    actorId: mia,
    subjectId: mia,
    data: { ...OFFICE, method: 'backup_code' },
  })
  await audit.append({
    type: 'recovery.approved',
    actorId: sam,
    subjectId: mia,
    data: {
      ...OFFICE,
      requestId: 3,
      approvers: [sam, owner.id],
      effectiveAt: new Date(app.clock.now()).toISOString(),
    },
  })
  await audit.append({ type: 'logout', actorId: mia, subjectId: mia, data: OFFICE })
  return { owner: actor, mia, sam }
}

test('13-01', async ({ app }) => {
  const { page } = app
  await setUp(page, 'keychain')
  await seed(app)

  await nav(page, 'Audit log').click()
  const events = page.getByRole('table', { name: 'Audit events' })
  const used = events
    .getByRole('row')
    .filter({ hasText: 'Mia Lind signed in with backup code 1 of 5 on OFFICE-PC-3 (4 left).' })
  await expect(used).toBeVisible()
  await expect(events).toContainText(
    'Recovery request #3 for Mia Lind was approved by Sam Support and Olivia Owner',
  )
  await expect(events).toContainText(
    `${OWNER.name} invited Mia Lind as member, with 2FA required on OFFICE-PC-3.`,
  )
  // No raw type, person number or null is shown until someone asks for the details.
  for (const raw of ['2fa.backup_code_used', 'approvers', 'sid: null']) {
    await expect(events.getByText(raw, { exact: false })).toBeHidden()
  }
  await used.getByText('Details').click()
  await expect(used.getByText('2fa.backup_code_used', { exact: false })).toBeVisible()
  await expect(used.getByRole('definition').filter({ hasText: 'OFFICE-PC-3' })).toBeVisible()
  await app.shot('audit-sentences')

  // The person's page: the same sentences.
  await nav(page, 'Users').click()
  await page.getByRole('button', { name: 'Mia Lind', exact: true }).click()
  await expect(heading(page, 'Mia Lind')).toBeVisible()
  const recent = page.getByRole('region', { name: 'Recent events' })
  await expect(recent).toContainText('Mia Lind signed in with backup code 1 of 5 on OFFICE-PC-3 (4 left).')
  await expect(recent).toContainText('Mia Lind signed out on OFFICE-PC-3.')
  await expect(recent.getByText('2fa.backup_code_used', { exact: false })).toBeHidden()
  await app.shot('user-page-events')

  // The dashboard keeps what an admin acts on; the database facts are under Settings.
  await nav(page, 'Dashboard').click()
  await expect(heading(page, `Welcome, ${OWNER.name}`)).toBeVisible()
  await expect(page.getByRole('region', { name: 'Recent security events' })).toContainText(
    'Mia Lind signed out on OFFICE-PC-3.',
  )
  await expect(page.getByRole('region', { name: 'Database' })).toHaveCount(0)
  await app.shot('dashboard-without-database')

  await nav(page, 'Settings').click()
  await page.getByRole('tab', { name: 'Database' }).click()
  const database = page.getByRole('region', { name: 'Database' })
  await expect(database).toContainText('OS keychain')
  await expect(database).toContainText(await app.backend.services().audit.headHash())
  await app.shot('settings-database')
})

test.describe('in Berlin, in German', () => {
  test.use({ timezoneId: 'Europe/Berlin', locale: 'de-DE' })

  test('13-09', async ({ app }) => {
    const { page } = app
    await setUp(page, 'keychain')
    await seed(app)
    await nav(page, 'Audit log').click()
    const first = page.getByRole('table', { name: 'Audit events' }).getByRole('row').nth(1)
    // The event's moment in German, to the second, with the zone named (CET or CEST as the date says).
    const at = (await app.backend.services().audit.list(undefined, 1)).events[0]!.at
    const expected = new Intl.DateTimeFormat('de-DE', {
      timeZone: 'Europe/Berlin',
      year: 'numeric',
      month: 'short',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      timeZoneName: 'short',
    }).format(at)
    await expect(first.getByRole('cell').first()).toHaveText(expected)
    expect(expected).toMatch(/\d\d:\d\d:\d\d MES?Z/)
    await app.shot('times-with-zone')

    // The chart's weeks are local weeks, named by their Monday.
    await nav(page, 'Dashboard').click()
    const chart = page.getByRole('img', { name: /Backup codes used per week/ })
    await expect(chart).toBeVisible()
    const desc = (await chart.locator('desc').textContent())!
    const weeks = [...desc.matchAll(/Week of ([^:]+):/g)].map((m) => m[1]!)
    expect(weeks).toHaveLength(12)
    const monday = new Intl.DateTimeFormat('de-DE', {
      month: 'short',
      day: 'numeric',
      timeZone: 'Europe/Berlin',
    })
    const localMonday = new Date(at)
    // Monday of this week, in Berlin (the test machine's own zone may differ, so use the page's).
    const label = await page.evaluate((t) => {
      const d = new Date(t)
      const m = new Date(d.getFullYear(), d.getMonth(), d.getDate() - ((d.getDay() + 6) % 7))
      return m.getTime()
    }, localMonday.getTime())
    expect(weeks.at(-1)).toBe(monday.format(label))
    await app.shot('chart-local-weeks')
  })
})

test('13-11', async ({ app }) => {
  const { page } = app
  await setUp(page, 'keychain')
  const { mia } = await seed(app)
  await nav(page, 'Audit log').click()
  const events = page.getByRole('table', { name: 'Audit events' })
  await expect(events).toContainText('Olivia Owner set up Tessera')

  // Person: Mia; kind: sign-ins. Main filters, and every row is hers.
  await page.getByLabel('Person').fill('Mia')
  await page.getByRole('button', { name: 'Mia Lind mia@example.com' }).click()
  await page.getByLabel('Kind of event').selectOption({ label: 'Sign-ins and sessions' })
  await expect(events.getByRole('row')).toHaveCount(1 + 3)
  await expect(events).not.toContainText('Olivia Owner set up Tessera')
  await expect(events.getByRole('row').nth(1)).toContainText('Mia Lind signed out on OFFICE-PC-3.')
  await expect(events.getByRole('row').nth(3)).toContainText(
    'Mia Lind entered the right password on OFFICE-PC-3',
  )

  // Days are this computer's days; today is included, tomorrow on matches nothing.
  const day = (offset: number) =>
    page.evaluate((o) => {
      const d = new Date()
      d.setDate(d.getDate() + o)
      return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`
    }, offset)
  await page.getByLabel('From').fill(await day(0))
  await page.getByLabel('To').fill(await day(0))
  await expect(events.getByRole('row')).toHaveCount(1 + 3)
  await app.shot('audit-filtered')

  // Export: exactly the filtered set, as CSV, then as JSON lines.
  const csvDownload = page.waitForEvent('download')
  await page.getByRole('button', { name: 'Export CSV' }).click()
  const csvFile = await csvDownload
  expect(csvFile.suggestedFilename()).toBe('tessera-audit-filtered.csv')
  const csv = readFileSync((await csvFile.path())!, 'utf8')
    .trimEnd()
    .split('\n')
  expect(csv[0]).toBe('seq,at,type,actor_id,subject_id,data,prev_hash,hash')
  expect(csv.slice(1).map((l) => l.split(',')[2])).toEqual([
    'login.password_accepted',
    'login.succeeded',
    'logout',
  ])
  expect(csv.slice(1).every((l) => l.split(',')[3] === String(mia))).toBe(true)
  await expect(page.getByText('Exported 3 events.')).toBeVisible()

  const jsonlDownload = page.waitForEvent('download')
  await page.getByRole('button', { name: 'Export JSON lines' }).click()
  const jsonlFile = await jsonlDownload
  expect(jsonlFile.suggestedFilename()).toBe('tessera-audit-filtered.jsonl')
  const lines = readFileSync((await jsonlFile.path())!, 'utf8')
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l) as { type: string; subjectId: number; data: { machine: string } })
  expect(lines.map((l) => l.type)).toEqual(['login.password_accepted', 'login.succeeded', 'logout'])
  expect(lines.every((l) => l.subjectId === mia && l.data.machine === 'OFFICE-PC-3')).toBe(true)
  await app.shot('audit-exported')

  // Tomorrow on: nothing, and an end before the start is refused on the form.
  await page.getByLabel('From').fill(await day(1))
  await page.getByLabel('To').fill(await day(1))
  await expect(page.getByText('No events match these filters.')).toBeVisible()
  await page.getByLabel('To').fill(await day(-1))
  await expect(page.getByText('The last day comes before the first.')).toBeVisible()
  await page.getByRole('button', { name: 'Clear filters' }).click()
  await expect(events).toContainText('Olivia Owner set up Tessera')
})
