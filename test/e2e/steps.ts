import { expect, type Page } from '@playwright/test'
import type { App } from './harness'
import { base32Decode, totp } from './totp'

export const OWNER = {
  email: 'owner@example.com',
  name: 'Olivia Owner',
  password: 'violet-harbour-lantern-42',
}
export const PASSPHRASE = 'a long database passphrase'

export const heading = (page: Page, name: string) => page.getByRole('heading', { name, exact: true })
export const welcome = (page: Page) => heading(page, `Welcome, ${OWNER.name}`)

/** First-run setup through the form, as a person fills it in. */
export async function setUp(page: Page, keyStore: 'keychain' | 'passphrase', shot?: () => Promise<void>) {
  await expect(heading(page, 'Set up Tessera')).toBeVisible()
  await page.getByLabel('Owner email').fill(OWNER.email)
  await page.getByLabel('Name').fill(OWNER.name)
  await page.getByLabel('Password', { exact: true }).fill(OWNER.password)
  await page.getByLabel('Confirm password').fill(OWNER.password)
  if (keyStore === 'passphrase') {
    await page.getByRole('radio', { name: /Passphrase/ }).check()
    await page.getByLabel('Database passphrase').fill(PASSPHRASE)
    await page.getByLabel('Confirm passphrase').fill(PASSPHRASE)
  } else {
    await expect(page.getByRole('radio', { name: /OS keychain/ })).toBeChecked()
  }
  await shot?.()
  await page.getByRole('button', { name: /Create owner/ }).click()
  await expect(welcome(page)).toBeVisible()
}

/** First run on a Spanish OS: the owner created with the key in the keychain (the default). */
export async function setUpInSpanish(page: Page) {
  await expect(heading(page, 'Configurar Tessera')).toBeVisible()
  await page.getByLabel('Correo del propietario').fill(OWNER.email)
  await page.getByLabel('Nombre').fill(OWNER.name)
  await page.getByLabel('Contraseña', { exact: true }).fill(OWNER.password)
  await page.getByLabel('Confirma la contraseña').fill(OWNER.password)
  await page.getByRole('button', { name: 'Crear el propietario y abrir Tessera' }).click()
}

export async function signIn(page: Page, password = OWNER.password) {
  await expect(heading(page, 'Sign in to Tessera')).toBeVisible()
  await page.getByLabel('Email').fill(OWNER.email)
  await page.getByLabel('Password').fill(password)
  await page.getByRole('button', { name: 'Sign in' }).click()
}

export async function unlock(page: Page, password = OWNER.password) {
  await expect(heading(page, 'Tessera is locked')).toBeVisible()
  await page.getByLabel('Password').fill(password)
  await page.getByRole('button', { name: 'Unlock' }).click()
}

/**
 * Confirm password (unless it was just given at sign-in) → read the manual key off the screen → type the
 * code an authenticator app would show.
 */
export async function enrollThroughWizard(app: App, password: string, shot: (step: string) => Promise<void>) {
  const { page } = app
  const first = page.getByRole('heading', { name: /^(Confirm your password|Scan the QR code)$/ })
  if ((await first.textContent()) === 'Confirm your password') {
    await page.getByLabel('Current password').fill(password)
    await page.getByRole('button', { name: 'Continue' }).click()
  }
  const qr = page.getByRole('img', { name: 'QR code for your authenticator app' })
  await expect(qr).toBeVisible()
  const box = await qr.boundingBox()
  expect(box!.width).toBeGreaterThanOrEqual(200)
  await expect(page.getByText('The code changes every 30 seconds')).toBeVisible()
  const manualKey = (await page.getByRole('group', { name: 'Manual key' }).textContent())!.trim()
  expect(manualKey).toMatch(/^([A-Z2-7]{4} )+[A-Z2-7]{1,4}$/)
  const key = base32Decode(manualKey)
  expect(key).toHaveLength(20)
  await shot('qr-code')
  await page.getByLabel('6-digit code from the app').fill(totp(key, app.clock.now()))
  await page.getByRole('button', { name: 'Turn on two-factor authentication' }).click()

  const list = page.getByRole('list', { name: 'Backup codes' })
  await expect(list.getByRole('listitem')).toHaveCount(5)
  const codes = (await list.getByRole('listitem').allTextContents()).map((c) => c.trim())
  for (const c of codes) expect(c).toMatch(/^[2-9A-HJ-NP-Z]{5}-[2-9A-HJ-NP-Z]{5}$/)
  await expect(qr).toHaveCount(0)
  return { key, codes }
}

/** Backup codes saved: the wizard moves on to its last step, the emergency phone. */
export async function saveCodes(page: Page) {
  await expect(page.getByRole('button', { name: 'Done' })).toBeDisabled()
  await page.getByLabel('I have saved these codes').check()
  await page.getByRole('button', { name: 'Done' }).click()
  // The last step, counted from where the person started (with or without the password step).
  await expect(page.getByText(/^Step (4 of 4|3 of 3)$/)).toBeVisible()
}

/** The phone step offers the form with its SMS warning, and "Skip for now". */
export async function skipEmergencyPhone(page: Page) {
  await expect(heading(page, 'Add an emergency phone')).toBeVisible()
  await expect(page.getByText('SMS is the weakest way to sign in')).toBeVisible()
  await expect(page.getByText('add one later in My profile')).toBeVisible()
  await page.getByRole('button', { name: 'Skip for now' }).click()
}

export async function saveCodesAndFinish(page: Page) {
  await saveCodes(page)
  await skipEmergencyPhone(page)
}

/** The second login step's "Having trouble?": opens the list and picks one of the other ways in. */
export async function otherWay(page: Page, choice: string) {
  await page.getByRole('button', { name: 'Having trouble?' }).click()
  await page.getByRole('button', { name: choice }).click()
}
