import { Field, type FieldProps } from '../../ui/Field'

/** The 6-digit code sent by SMS: numeric keypad, and the one-time-code autofill hint. */
export function SmsCodeField({
  label = 'Code from the SMS',
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
