import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { roles, type Role } from '../../../../shared/schemas'
import { Button } from '../../ui/Button'
import { Select } from '../../ui/Select'
import { BulkActionDialog } from './BulkActionDialog'
import toolbar from './Toolbar.module.css'

/**
 * "Require 2FA for new users" leaves the people already here alone: this requires it of everyone, or of
 * everyone with a role, as one action (run in main in batches, with the same rules as one user's page).
 */
export function RequireForExisting() {
  const { t } = useTranslation('users')
  const [role, setRole] = useState<Role | ''>('')
  const [open, setOpen] = useState(false)
  return (
    <div className={toolbar.toolbar}>
      <Select
        label={t('requireExisting.label')}
        value={role}
        onChange={(e) => setRole(e.target.value as Role | '')}
      >
        <option value="">{t('requireExisting.everyone')}</option>
        {roles.map((r) => (
          <option key={r} value={r}>
            {t(`roles.${r}`)}
          </option>
        ))}
      </Select>
      <Button variant="secondary" onClick={() => setOpen(true)}>
        {t('requireExisting.button')}
      </Button>
      {open && (
        <BulkActionDialog
          action="require-2fa"
          target={role === '' ? { kind: 'matching' } : { kind: 'matching', role }}
          onClose={() => setOpen(false)}
        />
      )}
    </div>
  )
}
