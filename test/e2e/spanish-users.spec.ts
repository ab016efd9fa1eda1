import type { Page } from '@playwright/test'
import { addUser } from '../fixtures/backend'
import { expect, test } from './harness'
import { setUpInSpanish } from './steps'

// The Users and Settings screens in Spanish, as they open on a Spanish OS: the list with its filters
// and the bar a selection brings, a user's page down to its Danger zone, the Add user and Import
// dialogs, and Settings' Policy, SMS and Email tabs.

test.use({ locale: 'es-ES', timezoneId: 'Europe/Madrid' })

const heading = (page: Page, name: string) => page.getByRole('heading', { name, exact: true })
// The navigation is another area's: found by either language, so this walk does not hang on its words.
const nav = (page: Page, name: RegExp) =>
  page.getByRole('navigation').first().getByRole('button', { name }).first()

const MIA = {
  email: 'mia@example.com',
  name: 'Mia Lind',
  role: 'member',
  password: 'orchid-lantern-harbour-9',
} as const
const SAM = {
  email: 'sam@example.com',
  name: 'Sam Soporte',
  role: 'support',
  password: 'orchid-lantern-harbour-8',
} as const

test('14-es users and settings', async ({ app }) => {
  const { page } = app
  await setUpInSpanish(page)
  await expect(page.getByRole('navigation').first()).toBeVisible()
  await addUser(app.backend, MIA)
  await addUser(app.backend, SAM)

  // The list: its columns, the filters, and a search.
  await nav(page, /^(Users|Usuarios)$/).click()
  await expect(heading(page, 'Usuarios')).toBeVisible()
  await page.getByLabel('Buscar').fill('m')
  const table = page.getByRole('table', { name: 'Usuarios' })
  await expect(table.getByRole('row', { name: new RegExp(MIA.name) })).toBeVisible()
  await expect(table.getByRole('columnheader')).toContainText(['Nombre', 'Correo', 'Rol', '2FA', 'Riesgo'])
  await page.getByLabel('Buscar').fill('')
  const filters = page.getByRole('group', { name: 'Filtro' })
  await filters.getByRole('button', { name: 'No obligatoria' }).click()
  await expect(filters.getByRole('button', { name: 'No obligatoria' })).toHaveAttribute(
    'aria-pressed',
    'true',
  )
  await expect(table.getByRole('row', { name: new RegExp(SAM.name) })).toContainText('Agente de soporte')
  await expect(page.getByRole('status').filter({ hasText: /usuarios?$/ })).toBeVisible()
  await app.shot('14-es-u-01-users')

  // A selection brings the bar; an action asks first, with the count in words.
  await table.getByRole('checkbox', { name: `Seleccionar a ${MIA.name}` }).check()
  const bar = page.getByRole('region', { name: 'Usuarios seleccionados' })
  await expect(bar.getByRole('status')).toHaveText('1 seleccionado')
  await expect(bar.getByRole('button', { name: 'Quitar la selección' })).toBeVisible()
  await app.shot('14-es-u-02-selection')
  await bar.getByRole('button', { name: 'Exigir 2FA', exact: true }).click()
  const ask = page.getByRole('dialog', { name: '¿Exigir 2FA a 1 usuario?' })
  await expect(ask).toContainText('Se aplica a 1 usuario, sin excepciones.')
  await app.shot('14-es-u-03-bulk-confirm')
  await ask.getByRole('button', { name: 'Cancelar' }).click()
  await bar.getByRole('button', { name: 'Quitar la selección' }).click()

  // A user's page, down to the Danger zone and its confirmation.
  await table.getByRole('button', { name: MIA.name }).click()
  await expect(heading(page, MIA.name)).toBeVisible()
  await expect(heading(page, 'Cuenta')).toBeVisible()
  const zone = page.getByRole('region', { name: 'Zona de peligro' })
  await expect(zone.getByRole('button')).toHaveText(['Desactivar', 'Eliminar'])
  await zone.scrollIntoViewIfNeeded()
  await app.shot('14-es-u-04-user-page')
  await zone.getByRole('button', { name: 'Eliminar' }).click()
  const del = page.getByRole('dialog', { name: `¿Eliminar a ${MIA.name}?` })
  await expect(del.getByLabel(`Escribe ${MIA.email} para confirmar`)).toBeVisible()
  await expect(del.getByRole('button', { name: 'Eliminar usuario' })).toBeDisabled()
  await app.shot('14-es-u-05-delete')
  await del.getByRole('button', { name: 'Cancelar' }).click()
  await page.getByRole('button', { name: '← Usuarios' }).click()

  // Add user, with the invitation code it gives.
  await page.getByRole('button', { name: 'Añadir usuario' }).click()
  const add = page.getByRole('dialog', { name: 'Añadir usuario' })
  await add.getByLabel('Correo').fill('lea@example.com')
  await add.getByLabel('Nombre').fill('Lea Nueva')
  await expect(add.getByLabel('Rol')).toHaveValue('member')
  await expect(add.getByLabel('Exigir la verificación en dos pasos')).toBeVisible()
  await app.shot('14-es-u-06-add-user')
  await add.getByRole('button', { name: 'Añadir usuario' }).click()
  const code = page.getByRole('dialog', { name: 'Código de invitación' })
  await expect(code).toContainText('Solo se muestra ahora.')
  await app.shot('14-es-u-07-invitation-code')
  await code.getByRole('button', { name: 'Hecho' }).click()

  // Import: what the file holds, then a file with a wrong line.
  await page.getByRole('button', { name: 'Importar CSV' }).click()
  const imp = page.getByRole('dialog', { name: 'Importar usuarios desde CSV' })
  await expect(imp).toContainText('Un usuario por línea con las columnas email,name,role,require_2fa.')
  await imp.getByLabel('Archivo CSV').setInputFiles({
    name: 'gente.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from('email,name,role,require_2fa\nno-es-un-correo,Ana,member,yes\n'),
  })
  await expect(imp.getByRole('alert')).toContainText('No se ha importado nada.')
  await expect(imp.getByRole('list', { name: 'Problemas en el archivo' })).toContainText('Línea 2')
  await app.shot('14-es-u-08-import')
  await imp.getByRole('button', { name: 'Cerrar' }).click()

  // Settings: Policy, SMS and Email.
  await nav(page, /^(Settings|Ajustes)$/).click()
  await expect(heading(page, 'Ajustes')).toBeVisible()
  const tabs = page.getByRole('tablist', { name: 'Secciones de ajustes' })
  await expect(tabs.getByRole('tab')).toHaveText([
    'Política',
    'SMS',
    'Bandeja de SMS',
    'Correo',
    'Bandeja de correo',
    'Base de datos',
  ])
  await expect(heading(page, 'Política de inicio de sesión y bloqueo')).toBeVisible()
  await expect(page.getByLabel('Bloquear la consola tras estos minutos sin actividad')).toBeVisible()
  await expect(page.getByRole('button', { name: 'Guardar ajustes' })).toBeDisabled()
  await app.shot('14-es-u-09-settings-policy')
  await tabs.getByRole('tab', { name: 'SMS', exact: true }).click()
  await expect(heading(page, 'Proveedor de SMS')).toBeVisible()
  await page.getByRole('radio', { name: /^Twilio/ }).check()
  await expect(page.getByLabel('Número de origen')).toBeVisible()
  await app.shot('14-es-u-10-settings-sms')
  await tabs.getByRole('tab', { name: 'Correo', exact: true }).click()
  await expect(heading(page, 'Proveedor de correo')).toBeVisible()
  await page.getByRole('radio', { name: /^Servidor SMTP/ }).check()
  await expect(page.getByRole('group', { name: 'Seguridad de la conexión' })).toBeVisible()
  await page.getByRole('button', { name: 'Guardar ajustes de correo' }).click()
  await expect(page.getByText('Escribe el nombre del servidor SMTP.')).toBeVisible()
  await app.shot('14-es-u-11-settings-email')
})
