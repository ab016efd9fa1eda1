import '@testing-library/jest-dom/vitest'
import { configure } from '@testing-library/react'
// The console's i18n instance, as main.tsx loads it: components' useTranslation reads from it.
import './src/i18n'

// The renderer's tests run on the real main-side services (Argon2, an encrypted file, local SMS and mail
// servers): on a busy two-core machine an answer can take longer than Testing Library's 1 s default wait.
configure({ asyncUtilTimeout: 5_000 })
