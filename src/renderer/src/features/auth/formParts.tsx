import type { UseFormRegisterReturn } from 'react-hook-form'
import { Button } from '../../ui/Button'
import { Field, type FieldProps } from '../../ui/Field'

// The pieces the signed-out screens (and the change-password dialog) share: the account's email, a long
// one-time code, the new password twice, and the way back to sign in.

type PresetFieldProps = Omit<FieldProps, 'label' | 'type' | 'autoComplete'>

/** The account's email, filled in as the sign-in name by password managers. */
export function EmailField(props: PresetFieldProps) {
  return <Field label="Email" type="email" autoComplete="username" {...props} />
}

/** A reset code or a temporary access code: 26 characters in groups of five, typed or pasted. */
export function LongCodeField({ label, ...props }: PresetFieldProps & { label: string }) {
  return (
    <Field
      label={label}
      hint="Like ABCDE-FGHIJ-KLMNO-PQRST-UVWXY-Z. Dashes and spaces do not matter."
      autoComplete="off"
      spellCheck={false}
      autoCapitalize="characters"
      className="mono"
      {...props}
    />
  )
}

/** A new password and the same again, offered to password managers as a new one. */
export function NewPasswordFields({
  hint,
  newPassword,
  confirm,
  errors,
  confirmLabel = 'New password again',
}: {
  /** How long it must be, which depends on the account and the screen. */
  hint: string
  newPassword: UseFormRegisterReturn
  confirm: UseFormRegisterReturn
  errors: { newPassword?: string | undefined; confirm?: string | undefined }
  confirmLabel?: string
}) {
  return (
    <>
      <Field
        label="New password"
        type="password"
        autoComplete="new-password"
        hint={hint}
        {...newPassword}
        error={errors.newPassword}
      />
      <Field
        label={confirmLabel}
        type="password"
        autoComplete="new-password"
        {...confirm}
        error={errors.confirm}
      />
    </>
  )
}

export function BackToSignIn({ onBack }: { onBack: () => void }) {
  return (
    <Button variant="ghost" className="link-button" onClick={onBack}>
      Back to sign in
    </Button>
  )
}
