import type { Page } from '@playwright/test'
import { addUser } from '../fixtures/backend'
import { connectPhones, type Phones } from '../fixtures/phones'
import { expect, test } from './harness'
import { OWNER } from './steps'
import { base32Decode, totp } from './totp'

// The signed-out and sign-in screens in Spanish, as they open on a Spanish OS: sign in, the second step
// with "Having trouble?" open, the emergency phone, the locked console, "Forgot password?", and an
// invited person's first sign-in.

test.use({ locale: 'es-ES', timezoneId: 'Europe/Madrid' })

const NOA = { email: 'noa@example.com', name: 'Noa Member', password: 'orchid-lantern-harbour-9' }
const MIA = { email: 'mia@example.com', name: 'Mia Lind', password: 'quiet-meadow-compass-31' }
const PHONE = '+34 600 000 123'

const heading = (page: Page, name: string) => page.getByRole('heading', { name, exact: true })

let phones: Phones | undefined
test.afterEach(async () => {
  await phones?.close()
  phones = undefined
})

test('14-es-auth sign-in screens', async ({ app }) => {
  const { page } = app
  const client = app.backend.client

  // Set up without the window: the owner, Noa with 2FA and a verified emergency phone, Mia invited.
  const owner = await app.backend.setup({ ...OWNER, keyStore: 'keychain' })
  const services = app.backend.services()
  await services.policy.update({ idleLockMinutes: 1 }, null)
  phones = await connectPhones(app.backend)
  const noaId = await addUser(app.backend, { ...NOA, role: 'member' })
  const start = await services.twoFactor.startEnrollment({ id: noaId, email: NOA.email }, client)
  const key = base32Decode(start.manualKey.replace(/ /g, ''))
  await services.twoFactor.confirmEnrollment(noaId, totp(key, app.clock.now()), client)
  await services.phones.start(
    noaId,
    { number: PHONE, numberConfirm: PHONE, notAuthenticatorPhone: true, password: NOA.password },
    client,
  )
  await services.phones.verify(noaId, phones.lastCode(), client)
  const invitation = await services.users.create(
    { email: MIA.email, name: MIA.name, role: 'member', requireTwoFactor: true },
    owner,
    client,
  )
  app.clock.advance(60_000)

  // Sign in.
  await page.reload()
  await expect(page.locator('html')).toHaveAttribute('lang', 'es')
  await expect(heading(page, 'Inicia sesión en Tessera')).toBeVisible()
  await expect(page.getByRole('button', { name: 'Activa una cuenta' })).toBeVisible()
  await app.shot('01-sign-in')
  // Main's refusal in the window's language too.
  await page.getByLabel('Correo').fill(NOA.email)
  await page.getByLabel('Contraseña').fill('not-her-password-at-all')
  await page.getByRole('button', { name: 'Iniciar sesión' }).click()
  await expect(page.getByRole('alert')).toContainText('El correo o la contraseña no son correctos.')
  await app.shot('01b-wrong-password')
  await page.getByLabel('Contraseña').fill(NOA.password)
  await page.getByRole('button', { name: 'Iniciar sesión' }).click()

  // The second step, with the other ways in opened.
  await expect(heading(page, 'Verificación en dos pasos')).toBeVisible()
  await expect(page.getByText(`Inicias sesión como ${NOA.email}.`)).toBeVisible()
  await page.getByRole('button', { name: '¿Tienes problemas?' }).click()
  const ways = page.getByRole('list', { name: 'Otras formas de iniciar sesión' })
  await expect(ways.getByRole('button')).toHaveText([
    'Usar un código de respaldo',
    'Enviar un código a mi teléfono de emergencia',
    'Pedir ayuda a soporte',
  ])
  await app.shot('02-second-step-trouble')

  // The emergency phone: a code sent, its field waiting.
  await ways.getByRole('button', { name: 'Enviar un código a mi teléfono de emergencia' }).click()
  await expect(heading(page, 'Usa tu teléfono de emergencia')).toBeFocused()
  await page.getByRole('button', { name: 'Enviar un código a mi teléfono de emergencia' }).click()
  await expect(page.getByLabel('Código del SMS')).toBeVisible()
  await app.shot('03-lost-device')

  // Back to the app code, and in.
  await page.getByRole('button', { name: 'Volver al código de la app' }).click()
  app.clock.advance(30_000)
  await page.getByLabel('Código de 6 cifras').fill(totp(key, app.clock.now()))
  await page.getByRole('button', { name: 'Verificar' }).click()
  await expect(heading(page, 'Verificación en dos pasos')).toBeHidden()

  // A minute away: the console is locked.
  app.clock.advance(61_000)
  await page.reload()
  await expect(heading(page, 'Tessera está bloqueado')).toBeVisible()
  await expect(page.getByText(`Sesión iniciada como ${NOA.name} (${NOA.email}).`)).toBeVisible()
  await app.shot('04-locked')
  await page.getByRole('button', { name: 'Cerrar sesión' }).click()

  // "Forgot password?", and its answer where no email leaves this Tessera.
  await page.getByRole('button', { name: '¿Has olvidado la contraseña?' }).click()
  await expect(heading(page, '¿Has olvidado la contraseña?')).toBeVisible()
  await page.getByLabel('Correo').fill(NOA.email)
  await app.shot('05-forgot')
  await page.getByRole('button', { name: 'Enviar un código de restablecimiento' }).click()
  await expect(page.getByRole('status')).toContainText('Este Tessera todavía no envía correos')
  await expect(page.getByRole('button', { name: 'También he perdido mi app de autenticación' })).toBeVisible()
  await app.shot('06-forgot-answer')
  await page.getByRole('button', { name: 'Volver a iniciar sesión' }).click()

  // Mia's first sign-in with her invitation code, straight into setting up 2FA.
  await page.getByRole('button', { name: 'Activa una cuenta' }).click()
  await expect(heading(page, 'Activa tu cuenta')).toBeVisible()
  await page.getByLabel('Correo').fill(MIA.email)
  await page.getByLabel('Código de invitación').fill(invitation.code!)
  await page.getByLabel('Contraseña nueva', { exact: true }).fill(MIA.password)
  await page.getByLabel('Confirma la contraseña nueva').fill(`${MIA.password}!`)
  await page.getByRole('button', { name: 'Activar la cuenta' }).click()
  await expect(page.getByText('Las contraseñas no coinciden')).toBeVisible()
  await app.shot('07-activate')
  await page.getByLabel('Confirma la contraseña nueva').fill(MIA.password)
  await page.getByRole('button', { name: 'Activar la cuenta' }).click()
  await expect(heading(page, 'Configura la verificación en dos pasos')).toBeVisible()
  await expect(page.getByText('Tu administrador exige la verificación en dos pasos')).toBeVisible()
  await app.shot('08-enroll-required')
})
