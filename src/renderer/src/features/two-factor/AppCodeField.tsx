import type { UseFormRegisterReturn } from 'react-hook-form'
import { Button } from '../../ui/Button'
import { Field, type FieldProps } from '../../ui/Field'

/** A 6-digit code (authenticator app or SMS): numeric keypad, and the one-time-code autofill hint. */
export function AppCodeField({
  label = '6-digit code',
  ...rest
}: Omit<FieldProps, 'label'> & { label?: string }) {
  return (
    <Field
      label={label}
      inputMode="numeric"
      autoComplete="one-time-code"
      pattern="[0-9]*"
      maxLength={6}
      spellCheck={false}
      className="code-input"
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
  return (
    <>
      {backup ? (
        <Field
          label="Backup code"
          autoComplete="off"
          spellCheck={false}
          className="mono"
          {...registration}
          error={error}
        />
      ) : (
        <AppCodeField label="6-digit code from your authenticator app" {...registration} error={error} />
      )}
      <Button variant="ghost" className="link-button" onClick={onToggle}>
        {backup ? 'Use the app code instead' : 'Use a backup code instead'}
      </Button>
    </>
  )
}
