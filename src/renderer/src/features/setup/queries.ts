import { useMutation } from '@tanstack/react-query'
import type { JoinTeamInput, SetupInput } from '../../../../shared/schemas'
import { api, unwrap } from '../../api'
import { useSessionUpdate } from '../../session/queries'

/** First run: the database and its owner. The session is read again (the owner is signed in). */
export function useCreateOwner() {
  const { refresh } = useSessionUpdate()
  return useMutation({
    mutationFn: (input: SetupInput) => unwrap(api().setup.createOwner(input)),
    onSuccess: () => refresh(),
  })
}

/** First run on a team database that exists; the session is read again (the sign-in screen follows). */
export function useJoinTeam() {
  const { refresh } = useSessionUpdate()
  return useMutation({
    mutationFn: (input: JoinTeamInput) => unwrap(api().setup.joinTeam(input)),
    onSuccess: () => refresh(),
  })
}
