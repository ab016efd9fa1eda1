import type { Configuration } from 'electron-builder'

/**
 * Installable packages (`npm run dist`, through scripts/dist.mjs): AppImage and .deb on Linux, an NSIS
 * installer on Windows, a dmg on macOS, each built on its own OS. Checked statically by
 * test/packaging/builder-config.test.ts, since packaging downloads Electron and cannot run everywhere.
 */

// The .deb needs a maintainer and a project URL. These are placeholders (".invalid" never resolves):
// replace them with the real ones before publishing a package.
const maintainer = 'Tessera maintainers <tessera@example.invalid>'
const homepage = 'https://tessera.example.invalid'

const config: Configuration = {
  appId: 'org.tessera.console',
  productName: 'Tessera',
  copyright: 'Copyright © Tessera maintainers',
  extraMetadata: { homepage },
  directories: { buildResources: 'resources', output: 'dist' },

  // The app is what electron-vite built; the production dependencies in node_modules are added by
  // electron-builder itself. The compilers' leftovers of the native addons (object files, the SQLite
  // sources) are not needed at run time.
  files: [
    'out/**/*',
    'package.json',
    '!**/node_modules/*/build/Release/{obj,obj.target,.deps}/**',
    '!**/node_modules/*/build/{Makefile,config.gypi,*.mk,deps/**}',
    '!**/node_modules/better-sqlite3-multiple-ciphers/build/Release/test_extension.node',
    '!**/node_modules/better-sqlite3-multiple-ciphers/{deps,src}/**',
    '!**/node_modules/keytar/src/**',
  ],
  asar: true,
  // A native addon cannot be loaded from inside the archive: these go to app.asar.unpacked, where
  // Electron finds them when the code in the archive requires them.
  asarUnpack: ['**/*.node'],
  // Read from process.resourcesPath by the main process (src/main/index.ts).
  extraResources: [
    { from: 'resources/common-passwords.txt', to: 'common-passwords.txt' },
    { from: 'resources/common-passwords.LICENSE.md', to: 'common-passwords.LICENSE.md' },
  ],

  // The native addons (SQLCipher, keytar) are rebuilt for Electron's ABI by electron-builder's own
  // @electron/rebuild step before the files are copied. It rebuilds them in place in node_modules,
  // so scripts/dist.mjs rebuilds them for Node again afterwards (the tests and the CLI use those).
  npmRebuild: true,
  nativeRebuilder: 'sequential',
  buildDependenciesFromSource: false,

  // Flipped in the Electron binary at packaging, before signing (@electron/fuses, through electron-builder).
  electronFuses: {
    // No ELECTRON_RUN_AS_NODE: the signed binary cannot be used as a general-purpose Node.
    runAsNode: false,
    // Neither NODE_OPTIONS nor --inspect can inject code into the main process, which holds the key.
    enableNodeOptionsEnvironmentVariable: false,
    enableNodeCliInspectArguments: false,
    enableCookieEncryption: true,
    // The app runs only from app.asar, and the archive is checked against the hash in the signed binary.
    enableEmbeddedAsarIntegrityValidation: true,
    onlyLoadAppFromAsar: true,
  },

  linux: {
    target: ['AppImage', 'deb'],
    icon: 'resources/icons',
    executableName: 'tessera',
    category: 'Utility',
    maintainer,
    synopsis: 'Desktop admin console for two-factor authentication',
  },
  // keytar needs libsecret at run time: electron-builder's default .deb dependencies include libsecret-1-0.
  win: { target: ['nsis'], icon: 'resources/icon.ico' },
  nsis: { oneClick: false, perMachine: false, allowToChangeInstallationDirectory: true },
  mac: {
    target: ['dmg'],
    icon: 'resources/icon.icns',
    category: 'public.app-category.utilities',
    hardenedRuntime: true,
  },

  // Packages are uploaded by hand, never as a side effect of a build on a CI with a token in its env.
  publish: null,
}

export default config
