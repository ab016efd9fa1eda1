import { useId, type Ref, type SelectHTMLAttributes } from 'react'

/** A labelled select, laid out like Field. */
export function Select({
  label,
  id,
  ref,
  className,
  ...select
}: SelectHTMLAttributes<HTMLSelectElement> & { label: string; ref?: Ref<HTMLSelectElement> }) {
  const autoId = useId()
  const selectId = id ?? autoId
  return (
    <div className={['field', className].filter(Boolean).join(' ')}>
      <label htmlFor={selectId}>{label}</label>
      <select {...select} ref={ref} id={selectId} />
    </div>
  )
}
