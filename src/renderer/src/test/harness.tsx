import { QueryClientProvider, type QueryClient } from '@tanstack/react-query'
import { render, type RenderResult } from '@testing-library/react'
import { randomUUID } from 'node:crypto'
import type { ReactElement } from 'react'
import type { Clock } from '../../../main/adapters/clock'
import type { Keychain } from '../../../main/adapters/keychain'
import type { Backend } from '../../../main/core/backend'
import { buildApiClient, type ApiClient } from '../../../shared/client'
import { gateFor, gateTransport, startTestBackend } from '../../../../test/fixtures/backend'
import { connectPhones, type Phones } from '../../../../test/fixtures/phones'
import { tempDir } from '../../../../test/fixtures/temp'
import { App } from '../App'
import { forgetUsersList } from '../features/users/listState'
import { createQueryClient } from '../session/queries'

export const OWNER = {
  email: 'owner@example.com',
  name: 'Olivia Owner',
  password: 'violet-harbour-lantern-42',
}

/** The owner as the console knows them once signed in (the first user of a fresh database). */
export const OWNER_USER = { id: 1, email: OWNER.email, name: OWNER.name, role: 'owner' } as const
export const PASSPHRASE = 'a long database passphrase'

export interface RealApi {
  backend: Backend
  api: ApiClient
  dir: string
  /** People's phones, once the database is set up by setUpOwner. */
  phones?: Phones
  cleanup: () => Promise<void>
}

const opened: RealApi[] = []

/**
 * window.api as the preload builds it, over a transport that runs the real IPC gate in front of a real
 * Backend on a temp database. Closed by `closeAll` (registered in each test file's afterEach).
 */
export async function realApi(
  opts: { keychain?: Keychain; clock?: Clock; dir?: string } = {},
): Promise<RealApi> {
  const temp = opts.dir ? { dir: opts.dir, cleanup: () => {} } : tempDir('tessera-renderer-')
  const backend = await startTestBackend({ dir: temp.dir, ...opts })
  const api = buildApiClient(gateTransport(gateFor(backend), `window-${randomUUID()}`))
  const real: RealApi = {
    backend,
    api,
    dir: temp.dir,
    cleanup: async () => {
      await backend.close()
      void real.phones?.close()
      temp.cleanup()
    },
  }
  opened.push(real)
  return real
}

export async function closeAll(): Promise<void> {
  for (const r of opened.splice(0)) await r.cleanup()
  // The Users list's remembered search, filter and scroll live in the renderer's memory.
  forgetUsersList()
}

/** A set-up database with its owner, and a window already signed in as the owner. */
/**
 * Creates the database and its owner. With `phones`, SMS go through the real twilio client to a local
 * Twilio-shaped server, where a test reads the codes (see test/phone.ts); without, the local outbox.
 */
export async function setUpOwner(real: RealApi, options: { phones?: boolean } = {}): Promise<void> {
  await real.backend.setup({ ...OWNER, keyStore: 'passphrase', passphrase: PASSPHRASE })
  if (options.phones) real.phones = await connectPhones(real.backend)
}

export async function signedInOwner(): Promise<RealApi> {
  const real = await realApi()
  await setUpOwner(real)
  const login = await real.api.auth.login({ email: OWNER.email, password: OWNER.password })
  if (!login.ok) throw new Error(login.error.message)
  return real
}

/** Renders `ui` (the whole app by default) over `api`; `queryClient` lets a test force a refetch. */
export function renderWithApi(
  api: ApiClient,
  ui: ReactElement = <App />,
): RenderResult & { queryClient: QueryClient } {
  window.api = api
  const queryClient = createQueryClient()
  return { ...render(<QueryClientProvider client={queryClient}>{ui}</QueryClientProvider>), queryClient }
}
