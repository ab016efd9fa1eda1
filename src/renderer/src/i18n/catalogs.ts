// Every namespace's catalogs, by language. A feature keeps its texts next to its components
// (features/<area>/locales/en.json and es.json) and is registered here once; the shared words
// (buttons, states, roles) are the `common` namespace in i18n/locales.
import commonEn from './locales/en.json'
import commonEs from './locales/es.json'
import auditEn from '../features/audit/locales/en.json'
import auditEs from '../features/audit/locales/es.json'
import dashboardEn from '../features/dashboard/locales/en.json'
import dashboardEs from '../features/dashboard/locales/es.json'
import databaseEn from '../features/database/locales/en.json'
import databaseEs from '../features/database/locales/es.json'
import profileEn from '../features/profile/locales/en.json'
import profileEs from '../features/profile/locales/es.json'
import recoveryEn from '../features/recovery/locales/en.json'
import recoveryEs from '../features/recovery/locales/es.json'
import setupEn from '../features/setup/locales/en.json'
import setupEs from '../features/setup/locales/es.json'
import eventsEn from '../format/locales/en.json'
import eventsEs from '../format/locales/es.json'
import uiEn from '../ui/locales/en.json'
import uiEs from '../ui/locales/es.json'

export const en = {
  common: commonEn,
  audit: auditEn,
  dashboard: dashboardEn,
  database: databaseEn,
  profile: profileEn,
  recovery: recoveryEn,
  setup: setupEn,
  events: eventsEn,
  ui: uiEn,
}

export const es: { [N in keyof typeof en]: unknown } = {
  common: commonEs,
  audit: auditEs,
  dashboard: dashboardEs,
  database: databaseEs,
  profile: profileEs,
  recovery: recoveryEs,
  setup: setupEs,
  events: eventsEs,
  ui: uiEs,
}

export type Namespace = keyof typeof en
