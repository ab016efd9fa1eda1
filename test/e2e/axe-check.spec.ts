import { expect, test } from '@playwright/test'
import { accessibilityViolations } from './harness'

// The check every browser test runs on each screen must be able to fail: a page with the faults it is
// there to catch reports each of them.
test('the accessibility check reports an unlabelled field and text below 4.5:1', async ({ page }) => {
  await page.setContent(`<!doctype html><html lang="en"><head><title>Sign in</title></head><body><main>
    <h1>Sign in</h1>
    <input type="email">
    <p style="color:#aaa;background:#fff">Low-contrast hint</p>
  </main></body></html>`)
  const found = await accessibilityViolations(page, 'faulty')
  expect(found.some((f) => f.startsWith('faulty: label (critical)'))).toBe(true)
  expect(found.some((f) => f.startsWith('faulty: color-contrast (serious)'))).toBe(true)

  await page.setContent(`<!doctype html><html lang="en"><head><title>Sign in</title></head><body><main>
    <h1>Sign in</h1>
    <label>Email <input type="email"></label>
    <p style="color:#555;background:#fff">A readable hint</p>
  </main></body></html>`)
  expect(await accessibilityViolations(page, 'fixed')).toEqual([])
})
