import { useQuery } from '@tanstack/react-query'
import { api, unwrap } from '../../api'
import { dashboardKeys } from '../users/queries'

export { dashboardKeys }

export function useDashboard() {
  return useQuery({
    queryKey: dashboardKeys.all,
    queryFn: () => unwrap(api().dashboard.get()),
    staleTime: 0,
  })
}
