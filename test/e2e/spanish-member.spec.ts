import type { Page } from '@playwright/test'
import { addUser } from '../fixtures/backend'
import { expect, test } from './harness'
import { setUpInSpanish } from './steps'
import { base32Decode, totp } from './totp'

// A member's console in Spanish, as it opens on a Spanish OS: the navigation, the home page's security
// checklist, the enrollment wizard (password, QR code, first code, backup codes, emergency phone) and My
// profile with its password, two-factor and preferences panels.

test.use({ locale: 'es-ES', timezoneId: 'Europe/Madrid' })

const heading = (page: Page, name: string) => page.getByRole('heading', { name, exact: true })

const MAX = {
  email: 'max@example.com',
  name: 'Max Miembro',
  role: 'member',
  password: 'orchid-lantern-harbour-7',
} as const

test('14-es member home, two-factor, emergency phone and profile', async ({ app }) => {
  const { page } = app
  await setUpInSpanish(page)

  // The owner's frame: the navigation, the role, the SMS banner.
  const nav = page.getByRole('navigation', { name: 'Principal' })
  await expect(nav.getByRole('button')).toHaveText([
    'Panel',
    'Usuarios',
    'Recuperación',
    'Mi perfil',
    'Registro de auditoría',
    'Ajustes',
  ])
  await expect(page.getByRole('banner')).toContainText('Propietario')
  await expect(page.getByRole('complementary', { name: 'Configuración de SMS' })).toContainText(
    'Los SMS no están configurados: los mensajes se quedan en la bandeja de salida local.',
  )
  await app.shot('14-es-m-01-navigation')

  // Max signs in (the sign-in screen is another area's: found by either language).
  await addUser(app.backend, MAX)
  await page.getByRole('button', { name: 'Cerrar sesión' }).click()
  await page.getByLabel(/^(Email|Correo)$/).fill(MAX.email)
  await page.getByLabel(/^(Password|Contraseña)$/).fill(MAX.password)
  await page.getByRole('button', { name: /^(Sign in|Iniciar sesión)$/ }).click()

  // A member's home: the checklist, its first item the next step.
  await expect(heading(page, `Hola, ${MAX.name}`)).toBeVisible()
  await expect(nav.getByRole('button')).toHaveText(['Inicio', 'Mi perfil'])
  const checklist = page.getByRole('region', { name: 'La seguridad de tu cuenta' })
  await expect(checklist).toContainText('Siguiente paso: Activar la verificación en dos pasos.')
  const items = checklist.getByRole('listitem')
  await expect(items.nth(0)).toContainText('Pendiente: Verificación en dos pasos activada')
  await expect(items.nth(1)).toContainText('Recibes cinco al activar la verificación en dos pasos.')
  await expect(items.nth(2)).toContainText('Pendiente: Teléfono de emergencia verificado')
  await app.shot('14-es-m-02-member-home')

  // The wizard: password, QR code and key, the first code.
  await checklist.getByRole('button', { name: 'Activar la verificación en dos pasos' }).click()
  await expect(heading(page, 'Confirma tu contraseña')).toBeVisible()
  await expect(page.getByText('Paso 1 de 4', { exact: true })).toBeVisible()
  await page.getByLabel('Contraseña actual').fill(MAX.password)
  await page.getByRole('button', { name: 'Continuar' }).click()
  await expect(heading(page, 'Escanea el código QR')).toBeVisible()
  await expect(page.getByRole('img', { name: 'Código QR para tu app de autenticación' })).toBeVisible()
  await expect(page.getByText('El código cambia cada 30 segundos.')).toBeVisible()
  const manualKey = (await page.getByRole('group', { name: 'Clave manual' }).textContent())!.trim()
  await app.shot('14-es-m-03-qr')
  await page.getByLabel('Código de 6 dígitos de la app').fill(totp(base32Decode(manualKey), app.clock.now()))
  await page.getByRole('button', { name: 'Activar la verificación en dos pasos' }).click()

  // The backup codes, shown once.
  await expect(heading(page, 'Guarda tus códigos de respaldo')).toBeVisible()
  await expect(page.getByText('La verificación en dos pasos está activada.')).toBeVisible()
  await expect(page.getByRole('list', { name: 'Códigos de respaldo' }).getByRole('listitem')).toHaveCount(5)
  await expect(page.getByRole('button', { name: 'Descargar como .txt' })).toBeVisible()
  await app.shot('14-es-m-05-backup-codes')
  await page.getByLabel('He guardado estos códigos').check()
  await page.getByRole('button', { name: 'Listo' }).click()

  // The emergency phone: with no SMS provider the code is said to stay here, not to be on its way.
  await expect(heading(page, 'Añade un teléfono de emergencia')).toBeVisible()
  await expect(page.getByText('Paso 4 de 4', { exact: true })).toBeVisible()
  await expect(page.getByText(/^El SMS es la forma menos segura de iniciar sesión/)).toBeVisible()
  await page.getByLabel('Número de teléfono', { exact: true }).fill('+34 600 000 123')
  await page.getByLabel('Repite el número de teléfono').fill('+34 600 000 123')
  await page.getByRole('checkbox', { name: 'Este no es el móvil con mi app de autenticación' }).check()
  await page.getByLabel('Contraseña actual').fill(MAX.password)
  await page.getByRole('button', { name: 'Enviar un código' }).click()
  await expect(page.getByRole('status').filter({ hasText: 'Tu código para el' })).toHaveText(
    'Tu código para el +34 ••• ••• 123 no se envió: aquí todavía no están configurados los SMS, así que el mensaje se queda en la bandeja de salida local. Pide ayuda a tu administrador.',
  )
  await expect(page.getByLabel('Código del SMS')).toBeVisible()
  await app.shot('14-es-m-07-phone-code')
  await page.getByRole('button', { name: 'Saltar por ahora' }).click()

  // Back home: 2FA and the codes done, the phone waiting for its code.
  await expect(items.nth(0)).toContainText('Hecho: Verificación en dos pasos activada')
  await expect(items.nth(1)).toContainText('Hecho: Códigos de respaldo: te quedan 5 de 5')
  await expect(items.nth(2)).toContainText('El +34 ••• ••• 123 espera su código de verificación.')
  await expect(checklist).toContainText('Siguiente paso: Introducir el código.')
  await app.shot('14-es-m-08-checklist-after')

  // My profile: the account, password, two-factor, phone and preferences panels.
  await nav.getByRole('button', { name: 'Mi perfil' }).click()
  await expect(heading(page, 'Mi perfil')).toBeVisible()
  await expect(page.getByRole('region', { name: 'Cuenta' })).toContainText('Miembro')
  const twoFactor = page.getByRole('region', { name: 'Verificación en dos pasos' })
  await expect(twoFactor).toContainText('Activada desde el')
  await expect(twoFactor).toContainText('Quedan 5/5')
  await expect(twoFactor.getByRole('list', { name: 'Huecos de códigos de respaldo' })).toContainText(
    'Código 1sin usar',
  )
  await expect(page.getByRole('region', { name: 'Teléfono de emergencia' })).toContainText(
    'Esperando su código',
  )
  await expect(page.getByRole('region', { name: 'Idioma y apariencia' })).toBeVisible()
  await app.shot('14-es-m-09-profile')

  await page
    .getByRole('region', { name: 'Contraseña' })
    .getByRole('button', { name: 'Cambiar la contraseña' })
    .click()
  const change = page.getByRole('dialog', { name: 'Cambiar la contraseña' })
  await expect(change.getByLabel('Contraseña actual')).toBeVisible()
  await expect(change.getByRole('button', { name: 'Usar un código de respaldo' })).toBeVisible()
  await change.getByRole('button', { name: 'Cancelar' }).click()

  await twoFactor.getByRole('button', { name: 'Desactivar' }).click()
  const turnOff = page.getByRole('dialog', { name: '¿Desactivar la verificación en dos pasos?' })
  await expect(turnOff).toContainText('Para iniciar sesión bastará con tu contraseña.')
  await app.shot('14-es-m-11-turn-off')
  await turnOff.getByRole('button', { name: 'Cancelar' }).click()
  await expect(turnOff).toBeHidden()
})
