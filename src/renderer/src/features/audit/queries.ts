import { keepPreviousData, useInfiniteQuery, useMutation, useQuery } from '@tanstack/react-query'
import type { AuditFilter } from '../../../../shared/schemas'
import { api, unwrap } from '../../api'

export const AUDIT_PAGE_SIZE = 50

export const auditKeys = {
  all: ['audit'] as const,
  list: (pageSize: number, filter: AuditFilter) => ['audit', 'list', pageSize, filter] as const,
  people: (search: string) => ['audit', 'people', search] as const,
}

const isEmpty = (f: AuditFilter): boolean =>
  f.personId === undefined && !f.kinds?.length && f.from === undefined && f.to === undefined

/**
 * Newest first; "Load older" asks for the events below the last sequence number shown. The filter is
 * applied by main, in the query, so every page holds only matching events.
 */
export function useAuditEvents(pageSize = AUDIT_PAGE_SIZE, filter: AuditFilter = {}) {
  return useInfiniteQuery({
    queryKey: auditKeys.list(pageSize, filter),
    queryFn: ({ pageParam }) =>
      unwrap(
        api().audit.list({
          limit: pageSize,
          ...(pageParam === undefined ? {} : { before: pageParam }),
          ...(isEmpty(filter) ? {} : { filter }),
        }),
      ),
    initialPageParam: undefined as number | undefined,
    getNextPageParam: (page) => page.nextBefore ?? undefined,
    placeholderData: keepPreviousData,
  })
}

/** People to filter the log by, found by name or email (only once something is typed). */
export function useAuditPeople(search: string) {
  return useQuery({
    queryKey: auditKeys.people(search),
    queryFn: () => unwrap(api().users.list({ search, sort: 'name', limit: 8 })),
    enabled: search.trim().length > 0,
    placeholderData: keepPreviousData,
  })
}

/** Every event the filter selects (not only the pages loaded), as main exports it for the CLI. */
export function useExportAudit() {
  return useMutation({
    mutationFn: ({ format, filter }: { format: 'csv' | 'jsonl'; filter: AuditFilter }) =>
      unwrap(api().audit.export({ format, ...(isEmpty(filter) ? {} : { filter }) })),
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
