import type { Ref, TextareaHTMLAttributes } from 'react'
import { FieldFrame } from './Field'

export interface TextAreaProps extends TextareaHTMLAttributes<HTMLTextAreaElement> {
  label: string
  error?: string | undefined
  hint?: string | undefined
  ref?: Ref<HTMLTextAreaElement>
}

/** A labelled multi-line input, laid out like Field, with its hint and error tied to it. */
export function TextArea({ label, error, hint, id, ref, rows = 4, ...input }: TextAreaProps) {
  return (
    <FieldFrame label={label} error={error} hint={hint} id={id}>
      {(a11y) => <textarea {...input} ref={ref} rows={rows} {...a11y} />}
    </FieldFrame>
  )
}
