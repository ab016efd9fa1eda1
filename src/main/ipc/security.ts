/**
 * The desktop shell's security rules as small pure functions, so they are tested under plain Node.
 * Electron's objects are reduced to the few fields these rules read.
 */

/** The origin the renderer is served from: the dev server in development, the app's files otherwise. */
export interface TrustedOrigin {
  devServerUrl?: string | undefined
  /** Absolute path of the built renderer's index.html. */
  rendererFile: string
}

export function isTrustedUrl(url: string, trusted: TrustedOrigin): boolean {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return false
  }
  if (trusted.devServerUrl) {
    const dev = new URL(trusted.devServerUrl)
    return parsed.origin === dev.origin
  }
  if (parsed.protocol !== 'file:') return false
  return (
    decodeURIComponent(parsed.pathname) ===
    trusted.rendererFile.replace(/\\/g, '/').replace(/^([A-Za-z]:)/, '/$1')
  )
}

export interface SenderFrameLike {
  url: string
  /** null for the window's top frame; an iframe has a parent and may not call the API. */
  parent: unknown
}

/** Only the app's own top-level page may call the API. */
export function isTrustedSender(frame: SenderFrameLike | null | undefined, trusted: TrustedOrigin): boolean {
  return !!frame && frame.parent === null && isTrustedUrl(frame.url, trusted)
}

/** The Content-Security-Policy of every page: own scripts only, no eval, no remote anything. */
export function contentSecurityPolicy(dev: boolean): string {
  return [
    "default-src 'none'",
    // React refresh in development injects an inline preamble; production allows no inline script.
    dev ? "script-src 'self' 'unsafe-inline'" : "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    dev ? "connect-src 'self' ws:" : "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join('; ')
}

/** Every permission a page may ask for (camera, notifications, clipboard reads …) is refused. */
export const permissionAllowed = (_permission: string): boolean => false
