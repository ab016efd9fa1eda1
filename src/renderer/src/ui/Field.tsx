import { useId, type InputHTMLAttributes, type ReactNode, type Ref } from 'react'

/** What a control needs to be tied to its label, hint and error. */
export interface ControlA11y {
  id: string
  'aria-invalid': true | undefined
  'aria-describedby': string | undefined
}

export interface FieldFrameProps {
  label: string
  error?: string | undefined
  hint?: string | undefined
  id?: string | undefined
  children: (a11y: ControlA11y) => ReactNode
}

/** A label, the control, its hint and its error, tied together for assistive technology. */
export function FieldFrame({ label, error, hint, id, children }: FieldFrameProps) {
  const autoId = useId()
  const inputId = id ?? autoId
  const hintId = hint ? `${inputId}-hint` : undefined
  const errorId = error ? `${inputId}-error` : undefined
  return (
    <div className={error ? 'field field-invalid' : 'field'}>
      <label htmlFor={inputId}>{label}</label>
      {children({
        id: inputId,
        'aria-invalid': error ? true : undefined,
        'aria-describedby': [hintId, errorId].filter(Boolean).join(' ') || undefined,
      })}
      {hint && (
        <p id={hintId} className="field-hint">
          {hint}
        </p>
      )}
      {error && (
        <p id={errorId} className="field-error">
          {error}
        </p>
      )}
    </div>
  )
}

export interface FieldProps extends InputHTMLAttributes<HTMLInputElement> {
  label: string
  error?: string | undefined
  hint?: string | undefined
  ref?: Ref<HTMLInputElement>
}

/** A labelled input with its hint and error tied to it for assistive technology. */
export function Field({ label, error, hint, id, ref, ...input }: FieldProps) {
  return (
    <FieldFrame label={label} error={error} hint={hint} id={id}>
      {(a11y) => <input {...input} ref={ref} {...a11y} />}
    </FieldFrame>
  )
}
