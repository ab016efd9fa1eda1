import { Trans, useTranslation } from 'react-i18next'
import type { RecoveryFiledDto } from '../../../../shared/dto'
import { formatDateTime } from '../../format/time'
import { Button } from '../../ui/Button'
import { AuthLayout } from '../../ui/Layout'
import styles from './RecoveryFiledScreen.module.css'

/**
 * After "Ask support for help": the request number to quote, what happens next, and whether the
 * emergency phone was told. Main has already signed the attempt out; this screen stands in for sign-in.
 */
export function RecoveryFiledScreen({ filed, onBack }: { filed: RecoveryFiledDto; onBack: () => void }) {
  const { t } = useTranslation('auth')
  return (
    <AuthLayout
      title={t('filed.title')}
      intro={
        <p>
          <Trans
            t={t}
            i18nKey="filed.intro"
            values={{ id: filed.requestId }}
            components={{ number: <strong className={styles.requestNumber} /> }}
          />
        </p>
      }
    >
      <div className="form">
        <p>
          <Trans t={t} i18nKey="filed.next" components={{ strong: <strong />, em: <em /> }} />
        </p>
        <p role="status">
          {filed.notifiedPhone === null ? (
            t('filed.noPhone')
          ) : (
            <Trans
              t={t}
              i18nKey="filed.toldPhone"
              values={{ phone: filed.notifiedPhone }}
              components={{ phone: <strong className="mono" /> }}
            />
          )}
        </p>
        <p className="muted">{t('filed.expires', { at: formatDateTime(filed.expiresAt) })}</p>
        <Button onClick={onBack} autoFocus>
          {t('filed.back')}
        </Button>
      </div>
    </AuthLayout>
  )
}
