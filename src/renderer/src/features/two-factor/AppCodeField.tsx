import type { UseFormRegisterReturn } from 'react-hook-form'
import { useTranslation } from 'react-i18next'
import { Button } from '../../ui/Button'
import { Field, type FieldProps } from '../../ui/Field'
import styles from './AppCodeField.module.css'

/** A 6-digit code (authenticator app or SMS): numeric keypad, and the one-time-code autofill hint. */
export function AppCodeField({ label, ...rest }: Omit<FieldProps, 'label'> & { label?: string }) {
  const { t } = useTranslation('twoFactor')
  return (
    <Field
      label={label ?? t('code.label')}
      inputMode="numeric"
      autoComplete="one-time-code"
      pattern="[0-9]*"
      maxLength={6}
      spellCheck={false}
      className={styles.code}
      {...rest}
    />
  )
}

/**
 * The second factor typed to confirm a change: the app code, or a backup code instead, with the link
 * that switches between the two (the form empties the box and its error on the switch).
 */
export function AppOrBackupCodeField({
  backup,
  onToggle,
  registration,
  error,
}: {
  backup: boolean
  onToggle: () => void
  registration: UseFormRegisterReturn
  error: string | undefined
}) {
  const { t } = useTranslation('twoFactor')
  return (
    <>
      {backup ? (
        <Field
          label={t('code.backup')}
          autoComplete="off"
          spellCheck={false}
          className="mono"
          {...registration}
          error={error}
        />
      ) : (
        <AppCodeField label={t('code.fromYourApp')} {...registration} error={error} />
      )}
      <Button variant="ghost" className="link-button" onClick={onToggle}>
        {backup ? t('code.useApp') : t('code.useBackup')}
      </Button>
    </>
  )
}
