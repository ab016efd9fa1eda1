import { app, BrowserWindow, Notification, session } from 'electron'
import { smtpCaFromEnv } from './adapters/smtp-email'
import { hostname } from 'node:os'
import { join } from 'node:path'
import { systemClock } from './adapters/clock'
import { createKeytarKeychain } from './adapters/keychain'
import type { Notifier } from './adapters/notifier'
import { Backend } from './core/backend'
import { PasswordPolicy } from './core/passwords'
import { resolveDbPath } from './core/paths'
import { createGate } from './ipc/gate'
import { createHandlers, sessionLookup } from './ipc/handlers'
import { registerApi } from './ipc/register'
import {
  contentSecurityPolicy,
  devServerUrl,
  isTrustedUrl,
  permissionAllowed,
  type TrustedOrigin,
} from './ipc/security'

// Composition root: open the database → build the services → register IPC → create the window.

const resourcesDir = app.isPackaged ? process.resourcesPath : join(import.meta.dirname, '../../resources')
const trusted: TrustedOrigin = {
  devServerUrl: devServerUrl({ isPackaged: app.isPackaged, env: process.env }),
  rendererFile: join(import.meta.dirname, '../renderer/index.html'),
}
// Native addons built for Electron's ABI live apart from node_modules (which the tests use under Node).
// A package has its own, rebuilt by electron-builder: there an environment variable must not choose
// which native code the app loads.
const nativeDir = app.isPackaged ? undefined : process.env.TESSERA_NATIVE_DIR

if (!app.requestSingleInstanceLock()) {
  app.quit()
} else {
  void main()
}

async function main(): Promise<void> {
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (e, url) => {
      if (!isTrustedUrl(url, trusted)) e.preventDefault()
    })
    contents.on('will-redirect', (e, url) => {
      if (!isTrustedUrl(url, trusted)) e.preventDefault()
    })
    contents.on('will-attach-webview', (e) => e.preventDefault())
    contents.setWindowOpenHandler(() => ({ action: 'deny' }))
  })

  await app.whenReady()

  session.defaultSession.setPermissionRequestHandler((_wc, permission, callback) =>
    callback(permissionAllowed(permission)),
  )
  session.defaultSession.setPermissionCheckHandler((_wc, permission) => permissionAllowed(permission))
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: {
        ...details.responseHeaders,
        'Content-Security-Policy': [contentSecurityPolicy(trusted.devServerUrl !== undefined)],
      },
    })
  })

  const smtpCa = smtpCaFromEnv()
  const backend = new Backend({
    dbPath: resolveDbPath(undefined),
    keychain: createKeytarKeychain(undefined, nativeDir),
    clock: systemClock,
    passwordPolicy: PasswordPolicy.fromFile(join(resourcesDir, 'common-passwords.txt')),
    client: { via: 'desktop', machine: hostname() },
    connection: nativeDir
      ? {
          nativeBinding: join(nativeDir, 'better-sqlite3-multiple-ciphers/build/Release/better_sqlite3.node'),
        }
      : {},
    ...(process.env.TESSERA_DB_PASSPHRASE ? { envPassphrase: process.env.TESSERA_DB_PASSPHRASE } : {}),
    ...(smtpCa ? { smtpCa } : {}),
    notifier: desktopNotifier,
  })
  await backend.start()

  const gate = createGate({
    handlers: createHandlers(backend),
    sessions: sessionLookup(backend),
    logError: (method, error) => console.error(`[tessera] ${method} failed:`, error),
  })
  registerApi(gate, trusted)

  const second = (): void => {
    const [win] = BrowserWindow.getAllWindows()
    if (win) {
      if (win.isMinimized()) win.restore()
      win.focus()
    }
  }
  app.on('second-instance', second)
  app.on('window-all-closed', () => {
    // The database is closed (and its last writes flushed) before the process goes.
    void backend.close().finally(() => app.quit())
  })
  createWindow()
}

/** The OS notification centre; clicking a notification brings the console to the front. */
const desktopNotifier: Notifier = {
  notify: ({ title, body }) => {
    if (!Notification.isSupported()) return
    const n = new Notification({ title, body })
    n.on('click', () => {
      const [win] = BrowserWindow.getAllWindows()
      if (!win) return
      if (win.isMinimized()) win.restore()
      win.focus()
    })
    n.show()
  },
}

function createWindow(): void {
  const win = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 960,
    minHeight: 640,
    show: false,
    title: 'Tessera',
    webPreferences: {
      preload: join(import.meta.dirname, '../preload/index.cjs'),
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
      spellcheck: false,
      devTools: trusted.devServerUrl !== undefined,
    },
  })
  win.once('ready-to-show', () => win.show())
  if (trusted.devServerUrl) void win.loadURL(trusted.devServerUrl)
  else void win.loadFile(trusted.rendererFile)
}
