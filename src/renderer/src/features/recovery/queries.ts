import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import type { Input } from '../../../../shared/api'
import type { RecoveryRequestDetailDto } from '../../../../shared/dto'
import type { RecoveryStatus } from '../../../../shared/schemas'
import { api, unwrap } from '../../api'
import { dashboardKeys } from '../users/queries'

/** The queue's filter: live (open, verifying, approved), every request, or one status. */
export type RecoveryFilter = 'live' | 'all' | RecoveryStatus

export const RECOVERY_PAGE_SIZE = 50

export const recoveryKeys = {
  all: ['recovery'] as const,
  lists: () => ['recovery', 'list'] as const,
  list: (filter: RecoveryFilter, pageSize: number) => ['recovery', 'list', filter, pageSize] as const,
  liveCount: ['recovery', 'live-count'] as const,
  detail: (requestId: number) => ['recovery', 'detail', requestId] as const,
}

/** Newest first; "Load older" asks for the requests below the last id shown. */
export function useRecoveryRequests(filter: RecoveryFilter, pageSize = RECOVERY_PAGE_SIZE) {
  const client = useQueryClient()
  return useInfiniteQuery({
    queryKey: recoveryKeys.list(filter, pageSize),
    queryFn: async ({ pageParam }) => {
      const input: Input<'recovery.list'> = { status: filter, limit: pageSize }
      if (pageParam !== undefined) input.before = pageParam
      const page = await unwrap(api().recovery.list(input))
      // Every page carries the live count: the navigation's badge follows whatever the queue last read.
      client.setQueryData(recoveryKeys.liveCount, page.liveCount)
      return page
    },
    initialPageParam: undefined as number | undefined,
    getNextPageParam: (page) => page.nextBefore ?? undefined,
    staleTime: 0,
  })
}

/** Requests waiting for support, for the badge in the navigation; re-read every minute. */
export function useLiveRecoveryCount(enabled: boolean) {
  return useQuery({
    queryKey: recoveryKeys.liveCount,
    queryFn: async () => (await unwrap(api().recovery.list({ status: 'live', limit: 1 }))).liveCount,
    enabled,
    refetchInterval: 60_000,
  })
}

export function useRecoveryRequest(requestId: number) {
  return useQuery({
    queryKey: recoveryKeys.detail(requestId),
    queryFn: () => unwrap(api().recovery.get({ requestId })),
    // Other agents work the same request: read afresh whenever the page shows.
    staleTime: 0,
  })
}

/** After any change to a request, the queue, the badge and the dashboard are out of date. */
function useAfterRecoveryChange() {
  const client = useQueryClient()
  return (detail?: RecoveryRequestDetailDto) => {
    if (detail) client.setQueryData(recoveryKeys.detail(detail.id), detail)
    void client.invalidateQueries({ queryKey: recoveryKeys.lists() })
    void client.invalidateQueries({ queryKey: recoveryKeys.liveCount })
    void client.invalidateQueries({ queryKey: dashboardKeys.all })
  }
}

type DetailMethod = 'recovery.check' | 'recovery.approve' | 'recovery.deny'

const detailCalls: { [M in DetailMethod]: (input: Input<M>) => Promise<RecoveryRequestDetailDto> } = {
  'recovery.check': (i) => unwrap(api().recovery.check(i)),
  'recovery.approve': (i) => unwrap(api().recovery.approve(i)),
  'recovery.deny': (i) => unwrap(api().recovery.deny(i)),
}

/** One agent action that answers with the request's new detail. */
export function useRecoveryAction<M extends DetailMethod>(method: M) {
  const after = useAfterRecoveryChange()
  return useMutation({
    mutationFn: (input: Input<M>) => detailCalls[method](input),
    onSuccess: (detail) => after(detail),
  })
}

/**
 * Issues a temporary access code. The answer may hold the code itself (no phone: read out by the agent),
 * so it is never cached: gcTime 0 drops the mutation as soon as the page that asked is gone.
 */
export function useIssueAccessCode() {
  const client = useQueryClient()
  const after = useAfterRecoveryChange()
  return useMutation({
    mutationFn: (requestId: number) => unwrap(api().recovery.issueCode({ requestId })),
    gcTime: 0,
    onSettled: (_issued, _error, requestId) => {
      void client.invalidateQueries({ queryKey: recoveryKeys.detail(requestId) })
      after()
    },
  })
}
