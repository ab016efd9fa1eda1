import { useState } from 'react'
import { roles, type Role } from '../../../../shared/schemas'
import { Button } from '../../ui/Button'
import { Select } from '../../ui/Select'
import { BulkActionDialog } from './BulkActionDialog'

const pluralRole: Record<Role, string> = {
  owner: 'Owners',
  admin: 'Administrators',
  support: 'Support agents',
  member: 'Members',
}

/**
 * "Require 2FA for new users" leaves the people already here alone: this requires it of everyone, or of
 * everyone with a role, as one action (run in main in batches, with the same rules as one user's page).
 */
export function RequireForExisting() {
  const [role, setRole] = useState<Role | ''>('')
  const [open, setOpen] = useState(false)
  return (
    <div className="toolbar">
      <Select
        label="Require 2FA for existing users"
        value={role}
        onChange={(e) => setRole(e.target.value as Role | '')}
      >
        <option value="">Everyone</option>
        {roles.map((r) => (
          <option key={r} value={r}>
            {pluralRole[r]}
          </option>
        ))}
      </Select>
      <Button variant="secondary" onClick={() => setOpen(true)}>
        Require 2FA…
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
