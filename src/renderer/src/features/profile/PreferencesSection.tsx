import { useTranslation } from 'react-i18next'
import type { Language, ThemeChoice } from '../../../../shared/dto'
import { messageOf } from '../../api'
import { LANGUAGE_NAMES, osLanguage } from '../../i18n'
import { Alert, Notice } from '../../ui/Alert'
import { Panel } from '../../ui/Layout'
import { Select } from '../../ui/Select'
import { usePreferences, useSetPreferences } from './queries'

/** Language and theme: each change applies and is saved at once (no Save button to forget). */
export function PreferencesSection() {
  const { t } = useTranslation('profile')
  const preferences = usePreferences(true)
  const save = useSetPreferences()
  const current = preferences.data
  if (!current) return null
  return (
    <Panel title={t('preferences.title')}>
      <div className="form">
        <Select
          label={t('preferences.language')}
          value={current.language ?? ''}
          onChange={(e) =>
            save.mutate({ language: e.target.value === '' ? null : (e.target.value as Language) })
          }
        >
          <option value="">
            {t('preferences.languageSystem', { language: LANGUAGE_NAMES[osLanguage()] })}
          </option>
          {(Object.keys(LANGUAGE_NAMES) as Language[]).map((l) => (
            <option key={l} value={l} lang={l}>
              {LANGUAGE_NAMES[l]}
            </option>
          ))}
        </Select>
        <Select
          label={t('preferences.theme')}
          value={current.theme}
          onChange={(e) => save.mutate({ theme: e.target.value as ThemeChoice })}
        >
          <option value="system">{t('preferences.themeSystem')}</option>
          <option value="light">{t('preferences.themeLight')}</option>
          <option value="dark">{t('preferences.themeDark')}</option>
        </Select>
        <p className="field-hint">{t('preferences.hint')}</p>
        <Alert>{save.isError ? messageOf(save.error) : null}</Alert>
        <Notice>{save.isSuccess ? t('preferences.saved') : null}</Notice>
      </div>
    </Panel>
  )
}
