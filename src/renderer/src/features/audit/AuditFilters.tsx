import { useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { auditEventKinds, type AuditEventKind, type AuditFilter } from '../../../../shared/schemas'
import { localDayEnd, localDayStart, timeZoneName } from '../../format/time'
import { i18n } from '../../i18n'
import { Button } from '../../ui/Button'
import { Field } from '../../ui/Field'
import { Select } from '../../ui/Select'
import { useDebounced } from '../../ui/useDebounced'
import { useAuditPeople } from './queries'
import styles from './AuditFilters.module.css'

export interface ChosenPerson {
  id: number
  name: string
  email: string
}

/** What the filter form holds: the person picked, the kind, and the days as the date fields hold them. */
export interface AuditFilterForm {
  person: ChosenPerson | null
  kind: AuditEventKind | ''
  fromDay: string
  toDay: string
}

export const emptyFilterForm: AuditFilterForm = { person: null, kind: '', fromDay: '', toDay: '' }

/**
 * The filter main applies, from the form: days are this computer's days (midnight to midnight, local
 * time), the last day included. An error instead when the range ends before it starts.
 */
export function filterOf(form: AuditFilterForm): { filter: AuditFilter } | { error: string } {
  const from = localDayStart(form.fromDay)
  const to = localDayEnd(form.toDay)
  if (from !== undefined && to !== undefined && from >= to) {
    return { error: i18n.t('audit:filters.backwards') }
  }
  return {
    filter: {
      ...(form.person ? { personId: form.person.id } : {}),
      ...(form.kind ? { kinds: [form.kind] } : {}),
      ...(from !== undefined ? { from } : {}),
      ...(to !== undefined ? { to } : {}),
    },
  }
}

function PersonPicker({
  person,
  onChange,
}: {
  person: ChosenPerson | null
  onChange: (p: ChosenPerson | null) => void
}) {
  const { t } = useTranslation('audit')
  const [search, setSearch] = useState('')
  const settled = useDebounced(search.trim())
  const people = useAuditPeople(settled)
  const labelId = useId()
  if (person) {
    return (
      <div className={`field ${styles.person}`}>
        <span className={styles.label} id={labelId}>
          {t('filters.person')}
        </span>
        <div className={styles.chosen} aria-labelledby={labelId} role="group">
          <span>
            <strong>{person.name}</strong> <span className="muted">{person.email}</span>
          </span>
          <Button
            variant="secondary"
            onClick={() => onChange(null)}
            aria-label={t('filters.removePerson', { name: person.name })}
          >
            {t('filters.remove')}
          </Button>
        </div>
      </div>
    )
  }
  const matches = settled ? (people.data?.users ?? []) : []
  return (
    <div className={styles.person}>
      <Field
        label={t('filters.person')}
        type="search"
        value={search}
        onChange={(e) => setSearch(e.target.value)}
        placeholder={t('filters.search')}
        hint={t('filters.personHint')}
        autoComplete="off"
      />
      {matches.length > 0 && (
        <ul className={styles.matches} aria-label={t('filters.matching')}>
          {matches.map((u) => (
            <li key={u.id}>
              <button
                type="button"
                onClick={() => {
                  onChange({ id: u.id, name: u.name, email: u.email })
                  setSearch('')
                }}
              >
                {u.name} <span className="muted">{u.email}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      {settled && people.data && matches.length === 0 && <p className="muted small">{t('filters.nobody')}</p>}
    </div>
  )
}

/** Person, kind of event and days: the Audit log shows, pages and exports only what they select. */
export function AuditFilters({
  form,
  onChange,
  error,
}: {
  form: AuditFilterForm
  onChange: (form: AuditFilterForm) => void
  error: string | undefined
}) {
  const { t } = useTranslation('audit')
  const zone = timeZoneName()
  return (
    <fieldset className={styles.filters}>
      <legend className="visually-hidden">{t('filters.legend')}</legend>
      <PersonPicker person={form.person} onChange={(person) => onChange({ ...form, person })} />
      <Select
        label={t('filters.kind')}
        value={form.kind}
        onChange={(e) => onChange({ ...form, kind: e.target.value as AuditEventKind | '' })}
      >
        <option value="">{t('filters.allKinds')}</option>
        {auditEventKinds.map((k) => (
          <option key={k} value={k}>
            {t(`kind.${k}`)}
          </option>
        ))}
      </Select>
      <Field
        label={t('filters.from')}
        type="date"
        value={form.fromDay}
        onChange={(e) => onChange({ ...form, fromDay: e.target.value })}
        hint={t('filters.fromHint', { zone })}
      />
      <Field
        label={t('filters.to')}
        type="date"
        value={form.toDay}
        onChange={(e) => onChange({ ...form, toDay: e.target.value })}
        hint={t('filters.toHint')}
        error={error}
      />
    </fieldset>
  )
}
