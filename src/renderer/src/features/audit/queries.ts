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

/** The routine check (from the last verified checkpoint on), or with `full` every event from the first. */
export function useVerifyChain() {
  return useMutation({
    mutationFn: (full: boolean = false) => unwrap(api().audit.verify({ full })),
  })
}

/** An anchor of the chain's head: returned to be saved as a file, or sent to every owner. */
export function useAnchorChain() {
  return useMutation({ mutationFn: (to: 'file' | 'owners') => unwrap(api().audit.anchor({ to })) })
}
