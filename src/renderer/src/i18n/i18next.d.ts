import 'i18next'
import type { en } from './catalogs'

// t('…') keys are checked against the English catalogs at compile time.
declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'common'
    resources: typeof en
  }
}
