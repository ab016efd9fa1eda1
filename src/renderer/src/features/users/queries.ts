import {
  keepPreviousData,
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
} from '@tanstack/react-query'
import type { Input } from '../../../../shared/api'
import type { UserDetailDto } from '../../../../shared/dto'
import type { Role, userFilters, userSorts } from '../../../../shared/schemas'
import { api, unwrap } from '../../api'

export type UserFilter = (typeof userFilters)[number]
export type UserSort = (typeof userSorts)[number]

export interface UsersQuery {
  search: string
  filter: UserFilter | undefined
  role: Role | undefined
  sort: UserSort
}

export const USERS_PAGE_SIZE = 100

export const userKeys = {
  all: ['users'] as const,
  lists: () => ['users', 'list'] as const,
  list: (q: UsersQuery, pageSize: number) => ['users', 'list', q, pageSize] as const,
  detail: (userId: number) => ['users', 'detail', userId] as const,
  unfinishedImports: () => ['users', 'imports', 'unfinished'] as const,
}

export const dashboardKeys = { all: ['dashboard'] as const }

/** Keyset pages of the Users page: each page asks for the rows after the previous page's last one. */
export function useUserPages(q: UsersQuery, pageSize = USERS_PAGE_SIZE) {
  return useInfiniteQuery({
    queryKey: userKeys.list(q, pageSize),
    queryFn: ({ pageParam }) => {
      const input: Input<'users.list'> = { sort: q.sort, limit: pageSize }
      if (q.search.trim()) input.search = q.search.trim()
      if (q.filter) input.filter = q.filter
      if (q.role) input.role = q.role
      if (pageParam) input.after = pageParam
      return unwrap(api().users.list(input))
    },
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
    // Typing in the search box keeps the old rows on screen until the new ones arrive.
    placeholderData: keepPreviousData,
  })
}

/** The caller's imports that stopped before the end, or whose invitation codes were never saved. */
export function useUnfinishedImports() {
  return useQuery({
    queryKey: userKeys.unfinishedImports(),
    queryFn: async () => (await unwrap(api().users.importUnfinished({}))).imports,
    staleTime: 0,
  })
}

export function useUser(userId: number) {
  return useQuery({
    queryKey: userKeys.detail(userId),
    queryFn: () => unwrap(api().users.get({ userId })),
    // Slots and locks change from other windows and the CLI: read afresh whenever the page shows.
    staleTime: 0,
  })
}

/** After any change to users, lists and the dashboard are out of date; the detail is what main returned. */
function useAfterUserChange() {
  const client = useQueryClient()
  return (detail?: UserDetailDto) => {
    if (detail) client.setQueryData(userKeys.detail(detail.user.id), detail)
    void client.invalidateQueries({ queryKey: userKeys.lists() })
    void client.invalidateQueries({ queryKey: dashboardKeys.all })
  }
}

type DetailMethod = 'users.setRequireTwoFactor' | 'users.unlock' | 'users.setDisabled' | 'users.changeRole'

const detailCalls: { [M in DetailMethod]: (input: Input<M>) => Promise<UserDetailDto> } = {
  'users.setRequireTwoFactor': (i) => unwrap(api().users.setRequireTwoFactor(i)),
  'users.unlock': (i) => unwrap(api().users.unlock(i)),
  'users.setDisabled': (i) => unwrap(api().users.setDisabled(i)),
  'users.changeRole': (i) => unwrap(api().users.changeRole(i)),
}

/** One admin action that answers with the user's new detail. */
export function useUserAction<M extends DetailMethod>(method: M) {
  const after = useAfterUserChange()
  return useMutation({
    mutationFn: (input: Input<M>) => detailCalls[method](input),
    onSuccess: (detail) => after(detail),
  })
}

/**
 * "Reset 2FA": done at once for a member or support agent; for an admin or owner with 2FA on, a
 * recovery request that two approvers must approve (its number comes back).
 */
export function useResetTwoFactor() {
  const after = useAfterUserChange()
  const client = useQueryClient()
  return useMutation({
    mutationFn: (userId: number) => unwrap(api().users.resetTwoFactor({ userId })),
    onSuccess: (result) => {
      after(result.user)
      if (result.pendingRequestId !== null) void client.invalidateQueries({ queryKey: ['recovery'] })
    },
  })
}

/**
 * "Reset password": a reset code by email, or shown once to the admin where no email leaves this
 * Tessera; for an admin or owner, a recovery request that two approvers must approve (its number comes
 * back). The person's page shows the event either way.
 */
export function useAdminResetPassword() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (userId: number) => unwrap(api().password.adminReset({ userId })),
    onSuccess: (result, userId) => {
      void client.invalidateQueries({ queryKey: userKeys.detail(userId) })
      if (result.outcome === 'pending') void client.invalidateQueries({ queryKey: ['recovery'] })
    },
  })
}

export function useDeleteUser() {
  const after = useAfterUserChange()
  const client = useQueryClient()
  return useMutation({
    mutationFn: (userId: number) => unwrap(api().users.delete({ userId })),
    onSuccess: (_r, userId) => {
      client.removeQueries({ queryKey: userKeys.detail(userId) })
      after()
    },
  })
}

export function useCreateUser() {
  const after = useAfterUserChange()
  return useMutation({
    mutationFn: (input: Input<'users.create'>) => unwrap(api().users.create(input)),
    onSuccess: () => after(),
  })
}

export function useResendInvitation() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (userId: number) => unwrap(api().users.resendInvitation({ userId })),
    onSuccess: (inv) => void client.invalidateQueries({ queryKey: userKeys.detail(inv.userId) }),
  })
}

/** Call after an import: every list and figure may have changed. */
export function useRefreshUsers() {
  const after = useAfterUserChange()
  return () => after()
}
