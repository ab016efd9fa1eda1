import js from '@eslint/js'
import reactHooks from 'eslint-plugin-react-hooks'
import globals from 'globals'
import tseslint from 'typescript-eslint'

const noElectron = {
  name: 'electron',
  message:
    'Keep electron out of code that runs under plain Node (core, db, adapters, shared, cli): it cannot be tested there.',
}

export default tseslint.config(
  {
    ignores: [
      'out/**',
      'dist/**',
      'node_modules/**',
      'test-results/**',
      'playwright-report/**',
      '.electron-native/**',
      'scratch/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // The data layer is asynchronous: a forgotten await turns a check into an always-true Promise or lets
    // a write finish after the transaction it belongs to. The type-aware rules catch both.
    files: ['src/main/**/*.ts', 'src/cli/**/*.ts', 'test/**/*.ts', 'scripts/**/*.ts'],
    languageOptions: {
      parserOptions: { project: './tsconfig.node.json', tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
      '@typescript-eslint/await-thenable': 'error',
    },
  },
  {
    files: ['src/main/core/**/*.ts', 'src/main/db/**/*.ts', 'src/cli/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[object.name='Date'][property.name='now']",
          message: 'Read time from the Clock port (src/main/adapters/clock.ts) so tests can control it.',
        },
      ],
    },
  },
  {
    // The process boundary: only the composition root, the IPC registration and the preload touch electron.
    files: ['src/**/*.{ts,tsx}'],
    ignores: ['src/main/index.ts', 'src/main/ipc/register.ts', 'src/preload/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [noElectron], patterns: [{ group: ['electron/*'], message: noElectron.message }] },
      ],
    },
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      // The classic hook rules; the React Compiler rules of the recommended set do not apply (no compiler).
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
      'no-restricted-imports': [
        'error',
        {
          paths: [noElectron],
          patterns: [
            {
              group: ['**/main/**', '**/preload/**', '**/cli/**', 'node:*'],
              message: 'The renderer reaches main only through window.api (src/shared is the contract).',
            },
          ],
        },
      ],
    },
  },
  {
    // Component tests run the real gate and Backend on a temp database (no mocks of our own modules).
    files: [
      'src/renderer/**/*.test.{ts,tsx}',
      'src/renderer/src/test/**/*.{ts,tsx}',
      'src/renderer/test-setup.ts',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [noElectron], patterns: [{ group: ['electron/*'], message: noElectron.message }] },
      ],
    },
  },
  {
    files: ['src/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [noElectron],
          patterns: [
            {
              group: ['**/main/**', '**/renderer/**', '**/preload/**', '**/cli/**', 'node:*'],
              message: 'src/shared holds the contract only: no node, electron or process code.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/main/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [noElectron],
          patterns: [
            {
              group: ['**/ipc/**', '**/renderer/**', '**/cli/**'],
              message: 'Core services know nothing of IPC, UI or the CLI.',
            },
          ],
        },
      ],
    },
  },
  {
    // The CLI is an adapter like the IPC handlers: it parses, calls a core use case and formats. The
    // database (queries, opening, migrations) is reached only through the core.
    files: ['src/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [noElectron],
          patterns: [
            { group: ['electron/*'], message: noElectron.message },
            {
              group: ['**/main/db/**', '**/main/ipc/**', '**/renderer/**'],
              message: 'The CLI calls the core (src/main/core), never the database or IPC directly.',
            },
          ],
        },
      ],
    },
  },
)
