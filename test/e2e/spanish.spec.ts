import type { Page } from '@playwright/test'
import type { SessionUser } from '../../src/shared/dto'
import { addUser } from '../fixtures/backend'
import { expect, test, type App } from './harness'
import { OWNER, PASSPHRASE, setUpInSpanish } from './steps'
import { base32Decode, totp } from './totp'

// The console in Spanish, as it opens on a Spanish OS: first-run setup, the Audit log (events as
// Spanish sentences with names, dates for Spain) and the database passphrase screen. Screens other
// areas still have to translate are passed through without asserting their words.

test.use({ locale: 'es-ES', timezoneId: 'Europe/Madrid' })

const OFFICE = { via: 'desktop' as const, machine: 'OFFICE-PC-3' }
const MIA = { email: 'mia@example.com', name: 'Mia Lind', role: 'member' as const }
const SAM = { email: 'sam@example.com', name: 'Sam Support', role: 'support' as const }

const heading = (page: Page, name: string) => page.getByRole('heading', { name, exact: true })

/** Mia and Sam invited by the owner, then Mia's backup-code sign-in, an approval and an import. */
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
    type: '2fa.backup_code_used',
    actorId: mia,
    subjectId: mia,
    data: { ...OFFICE, purpose: 'login', slot: 1, remaining: 1 },
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
  await audit.append({
    type: 'users.imported',
    actorId: owner.id,
    subjectId: null,
    data: { count: 1, skipped: 0 },
  })
  await audit.append({ type: 'logout', actorId: mia, subjectId: mia, data: OFFICE })
}

/** A moment as the console writes it for Spain: es-ES, Madrid time, the zone named. */
const madrid = (at: number, seconds = false) =>
  new Intl.DateTimeFormat('es-ES', {
    timeZone: 'Europe/Madrid',
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    ...(seconds ? { second: '2-digit' as const } : {}),
    timeZoneName: 'short',
  }).format(at)

test('14-es', async ({ app }) => {
  const { page } = app
  await expect(page.locator('html')).toHaveAttribute('lang', 'es')

  // First run, in Spanish.
  await expect(heading(page, 'Configurar Tessera')).toBeVisible()
  await expect(page.getByRole('group', { name: 'Dónde guarda Tessera sus datos' })).toBeVisible()
  await app.shot('01-setup')
  await page.getByRole('radio', { name: /Base de datos compartida \(PostgreSQL\): crearla/ }).check()
  await expect(page.getByLabel('Dirección de la base de datos compartida')).toBeVisible()
  await expect(page.getByLabel('Frase de contraseña compartida', { exact: true })).toBeVisible()
  await app.shot('02-setup-team')
  await page.getByRole('radio', { name: /Este equipo \(archivo cifrado\)/ }).check()

  await page.getByLabel('Correo del propietario').fill(OWNER.email)
  await page.getByLabel('Nombre').fill(OWNER.name)
  await page.getByLabel('Contraseña', { exact: true }).fill(OWNER.password)
  await page.getByLabel('Confirma la contraseña').fill(`${OWNER.password}!`)
  await page.getByRole('radio', { name: /Frase de contraseña/ }).check()
  await page.getByLabel('Frase de contraseña de la base de datos').fill(PASSPHRASE)
  await page.getByLabel('Confirma la frase de contraseña').fill(PASSPHRASE)
  await page.getByRole('button', { name: 'Crear el propietario y abrir Tessera' }).click()
  await expect(page.getByText('Las contraseñas no coinciden')).toBeVisible()
  await app.shot('03-setup-mismatch')
  await page.getByLabel('Contraseña', { exact: true }).fill(OWNER.password)
  await page.getByLabel('Confirma la contraseña').fill(OWNER.password)
  await page.getByLabel('Frase de contraseña de la base de datos').fill(PASSPHRASE)
  await page.getByLabel('Confirma la frase de contraseña').fill(PASSPHRASE)
  await page.getByRole('button', { name: 'Crear el propietario y abrir Tessera' }).click()
  await expect(page.getByRole('navigation').first()).toBeVisible()
  await seed(app)

  // The Audit log: Spanish words, the people's names, dates and times for Spain.
  await page
    .getByRole('navigation')
    .first()
    .getByRole('button', { name: /^(Audit log|Registro de auditoría)$/ })
    .click()
  await expect(heading(page, 'Registro de auditoría')).toBeVisible()
  const events = page.getByRole('table', { name: 'Eventos de auditoría' })
  await expect(events.getByRole('columnheader')).toHaveText(['Hora', 'Qué pasó'])
  const approvedAt = (await app.backend.services().audit.list(undefined, 3)).events.find(
    (e) => e.type === 'recovery.approved',
  )!
  for (const sentence of [
    'Olivia Owner configuró Tessera y quedó como su primer propietario',
    'Olivia Owner invitó a Mia Lind como miembro, con la 2FA obligatoria en OFFICE-PC-3.',
    'Olivia Owner invitó a Sam Support como agente de soporte, con la 2FA obligatoria en OFFICE-PC-3.',
    'Mia Lind inició sesión con el código de respaldo 1 de 5 en OFFICE-PC-3 (queda 1).',
    `Se aprobó la solicitud de recuperación n.º 3 de Mia Lind por Sam Support y Olivia Owner; se puede emitir un código desde el ${madrid(Date.parse(approvedAt.data.effectiveAt as string))}.`,
    'Olivia Owner importó 1 persona.',
    'Mia Lind cerró sesión en OFFICE-PC-3.',
  ]) {
    await expect(events).toContainText(sentence)
  }
  const newest = events.getByRole('row').nth(1)
  const logoutAt = (await app.backend.services().audit.list(undefined, 1)).events[0]!.at
  await expect(newest.getByRole('cell').first()).toHaveText(madrid(logoutAt, true))
  await newest.getByText('Detalles').click()
  await expect(newest.getByRole('definition').filter({ hasText: 'logout' })).toBeVisible()
  await expect(newest.getByRole('term').filter({ hasText: 'Hora (UTC)' })).toBeVisible()
  await app.shot('04-audit-log')

  // Verifying and filtering say what they did in Spanish.
  await page.getByRole('button', { name: 'Verificar la cadena' }).click()
  const count = await app.backend.services().audit.count()
  await expect(page.getByRole('status')).toContainText(`Cadena intacta: ${count} eventos verificados.`)
  await page.getByLabel('Tipo de evento').selectOption({ label: 'Personas e invitaciones' })
  await expect(events).toContainText('Olivia Owner importó 1 persona.')
  await expect(events).not.toContainText('cerró sesión')
  await page.getByLabel('Desde').fill('2030-01-02')
  await page.getByLabel('Hasta').fill('2030-01-01')
  await expect(page.getByText('El último día es anterior al primero.')).toBeVisible()
  await app.shot('05-audit-filters')
  await page.getByRole('button', { name: 'Quitar filtros' }).click()
  await expect(events).toContainText('Mia Lind cerró sesión en OFFICE-PC-3.')

  // The app starting again on a passphrase-protected database asks for it in Spanish.
  await app.restart()
  await page.reload()
  await expect(page.locator('html')).toHaveAttribute('lang', 'es')
  await expect(heading(page, 'Abrir la base de datos')).toBeVisible()
  await expect(page.getByText('Esta base de datos está protegida con una frase de contraseña.')).toBeVisible()
  await page.getByRole('button', { name: 'Abrir la base de datos' }).click()
  await expect(page.getByText('Escribe la frase de contraseña de la base de datos')).toBeVisible()
  await app.shot('06-database-passphrase')
  await page.getByLabel('Frase de contraseña de la base de datos').fill(PASSPHRASE)
  await page.getByRole('button', { name: 'Abrir la base de datos' }).click()
  await expect(heading(page, 'Abrir la base de datos')).toBeHidden()
})

// The Recovery queue, a request's page with the facts an agent decides with, and the dashboard that
// leads there, in Spanish: the words, the plurals, and dates for Spain.
test('14-es-1x recovery and dashboard', async ({ app }) => {
  const { page } = app
  await setUpInSpanish(page)
  await expect(heading(page, `Hola, ${OWNER.name}`)).toBeVisible()

  // Noa: 2FA with a backup code spent, three wrong passwords since, and an earlier request denied.
  const MINUTE = 60_000
  const NOA = { email: 'noa@example.com', name: 'Noa Member', password: 'orchid-lantern-harbour-9' }
  const ASK = { message: 'Se me cayó el móvil al puerto.', contact: 'Mesa 4B, extensión 2210' }
  const services = app.backend.services()
  const client = app.backend.client
  await services.policy.update({ recoveryCoolingOffMinutes: 0, idleLockMinutes: 60 }, null)
  const noaId = await addUser(app.backend, { ...NOA, role: 'member' })
  const start = await services.twoFactor.startEnrollment({ id: noaId, email: NOA.email }, client)
  const { backupCodes } = await services.twoFactor.confirmEnrollment(
    noaId,
    totp(base32Decode(start.manualKey.replace(/ /g, '')), app.clock.now()),
    client,
  )
  app.clock.advance(MINUTE)
  await services.auth.login(NOA.email, NOA.password, client)
  await services.auth.verifySecondFactor(noaId, { backupCode: backupCodes[0]! }, client)
  for (let i = 0; i < 3; i++) {
    app.clock.advance(MINUTE)
    await services.auth.login(NOA.email, 'no es su contraseña', client).catch(() => undefined)
  }
  const owner = { id: 1, email: OWNER.email, name: OWNER.name, role: 'owner' as const }
  const earlier = await services.recovery.file(noaId, ASK, client)
  await services.recovery.deny(earlier.requestId, 'Encontró el móvil.', owner, client)
  const { requestId } = await services.recovery.file(noaId, ASK, client)
  const filed = (await services.recovery.detail(requestId, owner)).createdAt

  // The dashboard: figures with their Spanish names, the chart's weeks, and a way to the queue.
  await page.reload()
  await expect(heading(page, `Hola, ${OWNER.name}`)).toBeVisible()
  const figures = page.getByRole('region', { name: 'Cifras' })
  await expect(
    figures.getByRole('button', { name: 'Adopción de la 2FA: 1 / 2. Mostrar estas personas' }),
  ).toBeVisible()
  await expect(figures).toContainText('50 % de las personas la tienen configurada')
  await expect(
    page.getByRole('img', { name: /^Códigos de respaldo usados por semana, últimas 12 semanas/ }),
  ).toHaveAccessibleName(/1 usado en total\. Semana del /)
  await app.shot('10-dashboard')

  // The queue, reached from the dashboard's figure.
  await figures
    .getByRole('button', {
      name: 'Solicitudes de recuperación abiertas: 1. Abrir la cola de recuperación',
    })
    .click()
  await expect(heading(page, 'Recuperación')).toBeVisible()
  await expect(
    page.getByRole('group', { name: 'Filtro' }).getByRole('button', { name: 'Esperando a soporte (1)' }),
  ).toHaveAttribute('aria-pressed', 'true')
  const queue = page.getByRole('table', { name: 'Solicitudes de recuperación' })
  await expect(queue.getByRole('columnheader')).toHaveText([
    '#',
    'Estado',
    'Persona',
    'Rol',
    'Presentada',
    'Caduca',
    'Comprobaciones',
    'Aprobaciones',
  ])
  const row = queue.getByRole('row').nth(1)
  await expect(row).toContainText('Abierta')
  await expect(row).toContainText('Miembro')
  await expect(row).toContainText(madrid(filed))
  await expect(row.getByRole('cell').last()).toHaveText('0/1')
  await page.getByRole('button', { name: 'Todas' }).click()
  await expect(queue).toContainText('Denegada')
  await app.shot('11-recovery-queue')

  // The request's page: the next step and the facts, in Spanish with their plurals.
  await queue.getByRole('button', { name: NOA.name }).first().click()
  await expect(heading(page, `Solicitud n.º ${requestId}: ${NOA.name}`)).toBeVisible()
  const next = page.getByRole('status', { name: 'Siguiente paso' })
  await expect(next).toHaveText(
    `Siguiente paso: Solicitud nueva: llama a ${NOA.name} a un número del directorio de la empresa y registra las comprobaciones de identidad que hagas.`,
  )
  const facts = page.getByRole('region', { name: 'Datos para decidir', exact: true })
  await expect(facts).toContainText('Inicios de sesión fallidos (últimos 30 días)3 fallos · el último, el ')
  await expect(facts).toContainText('Le quedan 4 de 5')
  await expect(facts).toContainText('Sugiere a la persona que inicie sesión con un código de respaldo')
  await expect(facts).toContainText('Ningún teléfono verificado')
  await expect(facts).toContainText('1 solicitud más')
  await expect(facts.getByRole('list', { name: 'Otras solicitudes' })).toContainText(
    `Solicitud n.º ${earlier.requestId} denegada, presentada el `,
  )
  await expect(page.getByRole('region', { name: 'Persona', exact: true })).toContainText(
    'Configurada · le quedan 4 códigos de respaldo',
  )
  await app.shot('12-request-facts')

  // Two identity checks, then the approval, each said in Spanish.
  const checks = page.getByRole('region', { name: 'Comprobaciones de identidad' })
  await checks.getByRole('checkbox', { name: /Llamé a la persona a un número del directorio/ }).check()
  await checks.getByRole('checkbox', { name: /Su responsable confirmó la solicitud/ }).check()
  await checks.getByRole('button', { name: 'Registrar' }).click()
  await expect(checks).toContainText('Se registraron 2 comprobaciones.')
  await expect(checks).toContainText('2 registradas; hacen falta al menos 2 antes de aprobar.')
  await expect(next).toContainText(
    `Ya hay suficientes comprobaciones: aprueba si estás seguro de que quien pide ayuda es ${NOA.name}`,
  )
  const decision = page.getByRole('region', { name: 'Decisión' })
  await decision.getByRole('button', { name: 'Aprobar' }).click()
  const approve = page.getByRole('dialog', { name: `¿Aprobar la solicitud n.º ${requestId}?` })
  await expect(approve).toContainText('Después se podrá emitir un código de acceso temporal de inmediato.')
  await app.shot('13-approve')
  await approve.getByRole('button', { name: 'Aprobar' }).click()
  await expect(next).toContainText(
    `Aprobada: emite el código de acceso temporal y díctaselo a ${NOA.name} por el canal que verificaste.`,
  )
  await expect(decision).toContainText(`Aprobada por ${OWNER.name}, `)
  await app.shot('14-approved')
})
