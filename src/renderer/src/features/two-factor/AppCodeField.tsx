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
