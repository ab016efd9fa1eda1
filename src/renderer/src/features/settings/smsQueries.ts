import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import type { SmsConfigureInput } from '../../../../shared/schemas'
import { api, unwrap } from '../../api'

export const SMS_OUTBOX_PAGE_SIZE = 50

export const smsKeys = {
  config: ['sms', 'config'] as const,
  outbox: ['sms', 'outbox'] as const,
  outboxList: (pageSize: number) => ['sms', 'outbox', pageSize] as const,
}

export function useSmsConfig() {
  return useQuery({ queryKey: smsKeys.config, queryFn: () => unwrap(api().sms.getConfig()) })
}

export function useConfigureSms() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (input: SmsConfigureInput) => unwrap(api().sms.configure(input)),
    onSuccess: (config) => client.setQueryData(smsKeys.config, config),
  })
}

export function useSendTestSms() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (to: string) => unwrap(api().sms.sendTest({ to })),
    onSettled: () => client.invalidateQueries({ queryKey: smsKeys.outbox }),
  })
}

/** Newest first; "Load older" asks for the messages below the last id shown. */
export function useSmsOutbox(pageSize = SMS_OUTBOX_PAGE_SIZE) {
  return useInfiniteQuery({
    queryKey: smsKeys.outboxList(pageSize),
    queryFn: ({ pageParam }) =>
      unwrap(
        api().sms.outbox(
          pageParam === undefined ? { limit: pageSize } : { before: pageParam, limit: pageSize },
        ),
      ),
    initialPageParam: undefined as number | undefined,
    getNextPageParam: (page) => page.nextBefore ?? undefined,
  })
}
