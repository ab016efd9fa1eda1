import { Trans, useTranslation } from 'react-i18next'
import type { InvitationDto } from '../../../../shared/dto'
import { Button } from '../../ui/Button'
import { realSchedule, type Schedule } from '../two-factor/backupCodesOut'
import { dateTime, type UsersT } from './format'
import { ShownOnceCode } from './ShownOnceCode'

/** The title of the dialog that shows an invitation: its code, or where the email went. */
export const invitationTitle = (t: UsersT, invitation: InvitationDto): string =>
  invitation.code === null ? t('invitation.sentTitle') : t('invitation.codeTitle')

/**
 * What Escape does in the dialog around an invitation: it closes one that says where the email went, but
 * a code shown here goes away only through Done.
 */
export const invitationEscape = (invitation: InvitationDto, onClose: () => void): (() => void) | undefined =>
  invitation.code === null ? onClose : undefined

const marks = { strong: <strong />, em: <em /> }

/**
 * An invitation code, shown this once (main keeps only its hash), with Copy that clears the clipboard.
 * When Settings → Email has an SMTP server the code went to the person by email instead, and nobody
 * else ever sees it: then only where it went is shown.
 */
export function InvitationCode({
  invitation,
  onDone,
  schedule = realSchedule,
}: {
  invitation: InvitationDto
  onDone: () => void
  schedule?: Schedule
}) {
  const { t } = useTranslation('users')
  const code = invitation.code
  const validUntil = (
    <p className="muted">{t('invitation.validUntil', { when: dateTime(invitation.expiresAt) })}</p>
  )
  if (code === null) {
    return (
      <div className="form">
        <div role="status" className="alert alert-ok">
          <Trans
            t={t}
            i18nKey="invitation.sentTo"
            values={{ to: invitation.emailedTo ?? invitation.email }}
            components={marks}
          />
        </div>
        <p>
          <Trans t={t} i18nKey="invitation.inEmail" components={marks} />
        </p>
        {validUntil}
        <div className="form-actions">
          <Button onClick={onDone}>{t('done')}</Button>
        </div>
      </div>
    )
  }
  return (
    <div className="form">
      <p>
        <Trans t={t} i18nKey="invitation.giveCode" values={{ email: invitation.email }} components={marks} />
      </p>
      <ShownOnceCode
        code={code}
        label={t('invitation.label')}
        schedule={schedule}
        actions={<Button onClick={onDone}>{t('done')}</Button>}
      >
        {validUntil}
      </ShownOnceCode>
    </div>
  )
}
