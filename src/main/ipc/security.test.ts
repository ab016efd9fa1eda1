import { describe, expect, it } from 'vitest'
import { contentSecurityPolicy, isTrustedSender, isTrustedUrl, permissionAllowed } from './security'

const packaged = { rendererFile: '/opt/Tessera/resources/app/out/renderer/index.html' }
const dev = { devServerUrl: 'http://localhost:5173', rendererFile: '/x/out/renderer/index.html' }

describe('trusted origin', () => {
  it('trusts only the built index.html when packaged', () => {
    expect(isTrustedUrl('file:///opt/Tessera/resources/app/out/renderer/index.html', packaged)).toBe(true)
    expect(isTrustedUrl('file:///opt/Tessera/resources/app/out/renderer/index.html#/users', packaged)).toBe(
      true,
    )
    expect(isTrustedUrl('file:///etc/passwd', packaged)).toBe(false)
    expect(isTrustedUrl('file:///opt/Tessera/resources/app/out/renderer/other.html', packaged)).toBe(false)
    expect(isTrustedUrl('https://evil.example/index.html', packaged)).toBe(false)
    expect(isTrustedUrl('not a url', packaged)).toBe(false)
  })

  it('trusts the dev server origin in development, and nothing else', () => {
    expect(isTrustedUrl('http://localhost:5173/', dev)).toBe(true)
    expect(isTrustedUrl('http://localhost:5174/', dev)).toBe(false)
    expect(isTrustedUrl('http://localhost.evil.example:5173/', dev)).toBe(false)
    expect(isTrustedUrl('file:///x/out/renderer/index.html', dev)).toBe(false)
  })
})

describe('sender check', () => {
  it('accepts the app page in the top frame only', () => {
    const url = 'file:///opt/Tessera/resources/app/out/renderer/index.html'
    expect(isTrustedSender({ url, parent: null }, packaged)).toBe(true)
    expect(isTrustedSender({ url, parent: {} }, packaged)).toBe(false)
    expect(isTrustedSender({ url: 'https://evil.example/', parent: null }, packaged)).toBe(false)
    expect(isTrustedSender(null, packaged)).toBe(false)
  })
})

describe('content security policy', () => {
  it('forbids inline and remote scripts in production', () => {
    const csp = contentSecurityPolicy(false)
    expect(csp).toContain("default-src 'none'")
    expect(csp).toContain("script-src 'self'")
    expect(csp).not.toContain('unsafe-eval')
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/)
    expect(csp).toContain("object-src 'none'")
  })

  it('refuses every permission request', () => {
    for (const p of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal']) {
      expect(permissionAllowed(p)).toBe(false)
    }
  })
})
