import type { ReactNode } from 'react'
import type { UseFormRegisterReturn } from 'react-hook-form'

export interface RadioChoice {
  value: string
  label: ReactNode
  /** A line under the label. */
  hint?: ReactNode
}

/** A fieldset of radio buttons for one form field, each a choice with its label and hint. */
export function RadioChoices({
  legend,
  choices,
  registration,
  error,
  children,
}: {
  legend: string
  choices: readonly RadioChoice[]
  registration: UseFormRegisterReturn
  error?: string | undefined
  /** What follows the choices inside the fieldset (a field the choice asks for). */
  children?: ReactNode
}) {
  return (
    <fieldset className="choice">
      <legend>{legend}</legend>
      {choices.map((c) => (
        <label key={c.value} className="choice-option">
          <input type="radio" value={c.value} {...registration} />
          <span>
            <strong>{c.label}</strong>
            {c.hint && <small>{c.hint}</small>}
          </span>
        </label>
      ))}
      {children}
      {error && <p className="field-error">{error}</p>}
    </fieldset>
  )
}
