import { useQuery, useQueryClient } from '@tanstack/react-query'
import { useEffect } from 'react'
import { api, unwrap } from '../../api'
import { dashboardKeys, prefetchUsers } from '../users/queries'

export { dashboardKeys }

export function useDashboard() {
  return useQuery({
    queryKey: dashboardKeys.all,
    queryFn: () => unwrap(api().dashboard.get()),
    staleTime: 0,
  })
}

/** The Users page is the usual next stop: its first rows are fetched once the figures are on screen. */
export function usePrefetchUsersOnceShown(shown: boolean) {
  const client = useQueryClient()
  useEffect(() => {
    if (!shown) return
    const timer = setTimeout(() => void prefetchUsers(client), 0)
    return () => clearTimeout(timer)
  }, [shown, client])
}
