import { expect, type Page } from '@playwright/test'

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
