// Every namespace's catalogs, by language. A feature keeps its texts next to its components
// (features/<area>/locales/en.json and es.json) and is registered here once; the shared words
// (buttons, states, roles) are the `common` namespace in i18n/locales.
import commonEn from './locales/en.json'
import commonEs from './locales/es.json'
import authEn from '../features/auth/locales/en.json'
import authEs from '../features/auth/locales/es.json'
import auditEn from '../features/audit/locales/en.json'
import auditEs from '../features/audit/locales/es.json'
import dashboardEn from '../features/dashboard/locales/en.json'
import dashboardEs from '../features/dashboard/locales/es.json'
import databaseEn from '../features/database/locales/en.json'
import databaseEs from '../features/database/locales/es.json'
import phoneEn from '../features/phone/locales/en.json'
import phoneEs from '../features/phone/locales/es.json'
import profileEn from '../features/profile/locales/en.json'
import profileEs from '../features/profile/locales/es.json'
import recoveryEn from '../features/recovery/locales/en.json'
import recoveryEs from '../features/recovery/locales/es.json'
import settingsEn from '../features/settings/locales/en.json'
import settingsEs from '../features/settings/locales/es.json'
import setupEn from '../features/setup/locales/en.json'
import setupEs from '../features/setup/locales/es.json'
import shellEn from '../features/shell/locales/en.json'
import shellEs from '../features/shell/locales/es.json'
import twoFactorEn from '../features/two-factor/locales/en.json'
import twoFactorEs from '../features/two-factor/locales/es.json'
import eventsEn from '../format/locales/en.json'
import eventsEs from '../format/locales/es.json'
import uiEn from '../ui/locales/en.json'
import uiEs from '../ui/locales/es.json'
import usersEn from '../features/users/locales/en.json'
import usersEs from '../features/users/locales/es.json'

export const en = {
  common: commonEn,
  auth: authEn,
  audit: auditEn,
  dashboard: dashboardEn,
  database: databaseEn,
  phone: phoneEn,
  profile: profileEn,
  recovery: recoveryEn,
  settings: settingsEn,
  setup: setupEn,
  shell: shellEn,
  twoFactor: twoFactorEn,
  events: eventsEn,
  ui: uiEn,
  users: usersEn,
}

export const es: { [N in keyof typeof en]: unknown } = {
  common: commonEs,
  auth: authEs,
  audit: auditEs,
  dashboard: dashboardEs,
  database: databaseEs,
  phone: phoneEs,
  profile: profileEs,
  recovery: recoveryEs,
  settings: settingsEs,
  setup: setupEs,
  shell: shellEs,
  twoFactor: twoFactorEs,
  events: eventsEs,
  ui: uiEs,
  users: usersEs,
}

export type Namespace = keyof typeof en
