import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import type { EmailConfigureInput } from '../../../../shared/schemas'
import { api, unwrap } from '../../api'

export const EMAIL_OUTBOX_PAGE_SIZE = 50

export const emailKeys = {
  config: ['email', 'config'] as const,
  outbox: ['email', 'outbox'] as const,
  outboxList: (pageSize: number) => ['email', 'outbox', pageSize] as const,
}

export function useEmailConfig() {
  return useQuery({ queryKey: emailKeys.config, queryFn: () => unwrap(api().email.getConfig()) })
}

export function useConfigureEmail() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (input: EmailConfigureInput) => unwrap(api().email.configure(input)),
    onSuccess: (config) => {
      client.setQueryData(emailKeys.config, config)
      // Owners are told of the change by email: the outbox has news.
      void client.invalidateQueries({ queryKey: emailKeys.outbox })
    },
  })
}

export function useSendTestEmail() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (to: string) => unwrap(api().email.sendTest({ to })),
    onSettled: () => client.invalidateQueries({ queryKey: emailKeys.outbox }),
  })
}

/** Newest first; "Load older" asks for the messages below the last id shown. */
export function useEmailOutbox(pageSize = EMAIL_OUTBOX_PAGE_SIZE) {
  return useInfiniteQuery({
    queryKey: emailKeys.outboxList(pageSize),
    queryFn: ({ pageParam }) =>
      unwrap(
        api().email.outbox(
          pageParam === undefined ? { limit: pageSize } : { before: pageParam, limit: pageSize },
        ),
      ),
    initialPageParam: undefined as number | undefined,
    getNextPageParam: (page) => page.nextBefore ?? undefined,
  })
}
