import type { SessionUser } from '../../../shared/dto'
import type { RecoveryCheck, Role } from '../../../shared/schemas'
import { addUser } from '../../../../test/fixtures/backend'
import type { RealApi } from './harness'
import { idOf, ownerActor } from './users'

export const ASK = {
  message: 'My phone was stolen on the train this morning.',
  contact: 'Desk 4B, extension 2210',
}

/** Someone added straight to the database (active, password set, no 2FA), as the seed would. */
export async function addPerson(real: RealApi, email: string, name: string, role: Role = 'member') {
  const id = await addUser(real.backend, { email, name, role, password: 'person-password-4242' })
  return { id, email, name, role } satisfies SessionUser
}

/** A request filed for `userId` as "Ask support for help" files it after the password. */
export const fileRequest = (real: RealApi, userId: number, ask = ASK) =>
  real.backend.services().recovery.file(userId, ask, real.backend.client)

/** A support agent's work through the services, standing in for another agent's console. */
export function agentWork(real: RealApi, agent: SessionUser) {
  const recovery = () => real.backend.services().recovery
  const client = real.backend.client
  return {
    check: (requestId: number, checks: RecoveryCheck[], note?: string) =>
      recovery().check(requestId, { checks, note }, agent, client),
    approve: (requestId: number) => recovery().approve(requestId, undefined, agent, client),
    deny: (requestId: number, reason: string) => recovery().deny(requestId, reason, agent, client),
    issueCode: (requestId: number) => recovery().issueCode(requestId, agent, client),
  }
}

/** The owner as an agent (for requests about other people). */
export const ownerAgent = async (real: RealApi) => agentWork(real, await ownerActor(real.backend))

export { idOf }
