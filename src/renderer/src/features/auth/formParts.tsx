import type { UseFormRegisterReturn } from 'react-hook-form'
import { useTranslation } from 'react-i18next'
import { Button } from '../../ui/Button'
import { Field, type FieldProps } from '../../ui/Field'

// The pieces the signed-out screens (and the change-password dialog) share: the account's email, a long
// one-time code, the new password twice, and the way back to sign in.

type PresetFieldProps = Omit<FieldProps, 'label' | 'type' | 'autoComplete'>

/** The account's email, filled in as the sign-in name by password managers. */
export function EmailField(props: PresetFieldProps) {
  const { t } = useTranslation('auth')
  return <Field label={t('parts.email')} type="email" autoComplete="username" {...props} />
}

/** A reset code or a temporary access code: 26 characters in groups of five, typed or pasted. */
export function LongCodeField({ label, ...props }: PresetFieldProps & { label: string }) {
  const { t } = useTranslation('auth')
  return (
    <Field
      label={label}
      hint={t('parts.longCodeHint')}
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
  confirmLabel,
}: {
  /** How long it must be, which depends on the account and the screen. */
  hint: string
  newPassword: UseFormRegisterReturn
  confirm: UseFormRegisterReturn
  errors: { newPassword?: string | undefined; confirm?: string | undefined }
  /** The second box's label; "New password again" unless given. */
  confirmLabel?: string
}) {
  const { t } = useTranslation('auth')
  return (
    <>
      <Field
        label={t('parts.newPassword')}
        type="password"
        autoComplete="new-password"
        hint={hint}
        {...newPassword}
        error={errors.newPassword}
      />
      <Field
        label={confirmLabel ?? t('parts.newPasswordAgain')}
        type="password"
        autoComplete="new-password"
        {...confirm}
        error={errors.confirm}
      />
    </>
  )
}

export function BackToSignIn({ onBack }: { onBack: () => void }) {
  const { t } = useTranslation('auth')
  return (
    <Button variant="ghost" className="link-button" onClick={onBack}>
      {t('parts.backToSignIn')}
    </Button>
  )
}
