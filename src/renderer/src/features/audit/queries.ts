import { useInfiniteQuery, useMutation } from '@tanstack/react-query'
import { api, unwrap } from '../../api'

export const AUDIT_PAGE_SIZE = 50

export const auditKeys = {
  all: ['audit'] as const,
  list: (pageSize: number) => ['audit', 'list', pageSize] as const,
}

/** Newest first; "Load older" asks for the events below the last sequence number shown. */
export function useAuditEvents(pageSize = AUDIT_PAGE_SIZE) {
  return useInfiniteQuery({
    queryKey: auditKeys.list(pageSize),
    queryFn: ({ pageParam }) =>
      unwrap(
        api().audit.list(
          pageParam === undefined ? { limit: pageSize } : { before: pageParam, limit: pageSize },
        ),
      ),
    initialPageParam: undefined as number | undefined,
    getNextPageParam: (page) => page.nextBefore ?? undefined,
  })
}

export function useVerifyChain() {
  return useMutation({ mutationFn: () => unwrap(api().audit.verify()) })
}
