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

/**
 * The development server to load the renderer from: ELECTRON_RENDERER_URL, honoured only when the app
 * is not packaged and only for an http(s) address on this machine (localhost, 127.0.0.0/8, [::1]) —
 * anything else would let whoever sets the environment serve the console, and its secrets, from afar.
 */
export function devServerUrl(options: {
  isPackaged: boolean
  env: Record<string, string | undefined>
}): string | undefined {
  const raw = options.env.ELECTRON_RENDERER_URL
  if (options.isPackaged || !raw) return undefined
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return undefined
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined
  const host = url.hostname
  const loopback = host === 'localhost' || host === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host)
  return loopback ? raw : undefined
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
