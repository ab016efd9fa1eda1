import {
  keepPreviousData,
  type InfiniteData,
  type QueryClient,
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
} from '@tanstack/react-query'
import { useCallback, useEffect, useState } from 'react'
import type { Input } from '../../../../shared/api'
import type {
  BulkProgressDto,
  ImportBeginDto,
  ImportProgressDto,
  UserDetailDto,
  UserPageDto,
  UserSummaryDto,
} from '../../../../shared/dto'
import { type Role, userFilters, userSorts } from '../../../../shared/schemas'
import { api, unwrap } from '../../api'
import { i18n } from '../../i18n'
import { afterPaint } from '../../ui/afterPaint'
import { downloadText } from '../two-factor/backupCodesOut'

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

/** What the Users page shows when it opens: everyone, by name. */
export const defaultUsersQuery: UsersQuery = { search: '', filter: undefined, role: undefined, sort: 'name' }

/** One query's pages, as the Users page and its prefetch ask for them. */
const userPagesOptions = (q: UsersQuery, pageSize: number) => ({
  queryKey: userKeys.list(q, pageSize),
  queryFn: ({ pageParam }: { pageParam: string | undefined }) => {
    const input: Input<'users.list'> = { sort: q.sort, limit: pageSize }
    if (q.search.trim()) input.search = q.search.trim()
    if (q.filter) input.filter = q.filter
    if (q.role) input.role = q.role
    if (pageParam) input.after = pageParam
    return unwrap(api().users.list(input))
  },
  initialPageParam: undefined as string | undefined,
  getNextPageParam: (page: UserPageDto) => page.nextCursor ?? undefined,
})

/** Keyset pages of the Users page: each page asks for the rows after the previous page's last one. */
export function useUserPages(q: UsersQuery, pageSize = USERS_PAGE_SIZE) {
  return useInfiniteQuery({
    ...userPagesOptions(q, pageSize),
    // Typing in the search box keeps the old rows on screen until the new ones arrive.
    placeholderData: keepPreviousData,
    // Opening the page shows the rows cached (or fetched ahead by the dashboard) at once, and always asks
    // again: a user added meanwhile by the CLI on the same file sends the console no notice.
    refetchOnMount: 'always',
  })
}

/**
 * Asks main for a search's first page as it is typed (a call is a few milliseconds at 100,000 users),
 * so once the typing pauses the rows are already here and change in the next frame. The page still
 * waits for the pause before it shows them: the wait keeps the rows still, not main's work down.
 */
export function usePrefetchSearch(pageSize = USERS_PAGE_SIZE): (q: UsersQuery) => void {
  const client = useQueryClient()
  return useCallback(
    (q: UsersQuery) => {
      const search = q.search.trim()
      if (search !== '') void client.prefetchInfiniteQuery(userPagesOptions({ ...q, search }, pageSize))
    },
    [client, pageSize],
  )
}

/**
 * The lists one click away from `q`: every filter chip and every sort, the rest as it is. Their first
 * pages are fetched once `q`'s rows are painted (in a task after that frame), so a chip or a sort draws
 * its rows in the frame after the click instead of a round trip to main later; what the person then
 * sees is refreshed as any cached list is (asked again when older than the client's 5 s, and at once
 * when something changes). Nine calls of one page each, none for a list cached within 5 s, none while
 * searching.
 */
export function usePrefetchNeighbours(q: UsersQuery, shownAt: number, pageSize = USERS_PAGE_SIZE): void {
  const client = useQueryClient()
  useEffect(() => {
    // A search's lists are each a scan of the matching names (10–50 ms in main at 100,000 users), too
    // much to ask nine of in case: while searching, a chip or a sort asks when clicked.
    if (shownAt === 0 || q.search !== '') return
    const neighbours: UsersQuery[] = [
      ...[undefined, ...userFilters].filter((f) => f !== q.filter).map((filter) => ({ ...q, filter })),
      ...userSorts.filter((s) => s !== q.sort).map((sort) => ({ ...q, sort })),
    ]
    // After the frame with the rows is painted (a task queued from the frame's callback), so neither
    // the calls nor their answers stand between the person's click and its rows; and one list per task,
    // so a click that comes meanwhile waits for one call to be sent, not nine (up to 10 ms at first).
    let stop = () => {}
    const prefetch = (i: number) => {
      const n = neighbours[i]
      if (!n) return
      void client.prefetchInfiniteQuery(userPagesOptions(n, pageSize))
      const timer = setTimeout(prefetch, 0, i + 1)
      stop = () => clearTimeout(timer)
    }
    stop = afterPaint(() => prefetch(0))
    return () => stop()
  }, [client, q, shownAt, pageSize])
}

/**
 * The Users page's first rows, fetched ahead of it (unless fresh ones are cached): a screen that leads
 * there calls this once it has painted, so the page opens with its rows instead of "Loading…".
 */
export function prefetchUsers(client: QueryClient): Promise<void> {
  return client.prefetchInfiniteQuery(userPagesOptions(defaultUsersQuery, USERS_PAGE_SIZE))
}

/**
 * Keeps only the first page of every cached Users list. A Users page always opens at its top, and a list
 * that is stale when it shows again is fetched again page by page: after scrolling to row 5,000 that was
 * 50 calls behind the next screen. The data keeps its age, so what was stale is fetched again.
 */
export function trimUserLists(client: QueryClient, keep?: { query: UsersQuery; rows: number }): void {
  for (const q of client.getQueryCache().findAll({ queryKey: userKeys.lists() })) {
    const data = q.state.data as InfiniteData<UserPageDto, string | undefined> | undefined
    // The list the person will come back to keeps the pages down to where they had scrolled.
    let pages = 1
    if (keep && isSameQuery(q.queryKey[2], keep.query)) {
      for (let rows = 0; data && pages < data.pages.length; pages++) {
        rows += data.pages[pages - 1]!.users.length
        if (rows >= keep.rows) break
      }
    }
    if (!data || data.pages.length <= pages) continue
    client.setQueryData(
      q.queryKey,
      { pages: data.pages.slice(0, pages), pageParams: data.pageParams.slice(0, pages) },
      { updatedAt: q.state.dataUpdatedAt },
    )
  }
}

const isSameQuery = (a: unknown, b: UsersQuery): boolean => {
  const q = a as Partial<UsersQuery> | undefined
  return q?.search === b.search && q.filter === b.filter && q.role === b.role && q.sort === b.sort
}

/** The caller's imports that stopped before the end, or whose invitation codes were never saved. */
export function useUnfinishedImports() {
  return useQuery({
    queryKey: userKeys.unfinishedImports(),
    queryFn: async () => (await unwrap(api().users.importUnfinished({}))).imports,
    staleTime: 0,
  })
}

const userOptions = (userId: number) => ({
  queryKey: userKeys.detail(userId),
  queryFn: () => unwrap(api().users.get({ userId })),
  // Slots and locks change from other windows and the CLI: read afresh whenever the page shows.
  staleTime: 0,
})

export function useUser(userId: number) {
  return useQuery(userOptions(userId))
}

/** Asks for a user's page as the person clicks their row, before the page is drawn. */
export function usePrefetchUser(): (userId: number) => void {
  const client = useQueryClient()
  return useCallback((userId: number) => void client.prefetchQuery(userOptions(userId)), [client])
}

/** What a cached Users list knows of this person, read once as their page opens. */
export function useCachedUserSummary(userId: number): UserSummaryDto | undefined {
  const client = useQueryClient()
  const [summary] = useState(() => cachedUserSummary(client, userId))
  return summary
}

/**
 * The row a cached Users list holds for this person: their page draws its first facts (name, email,
 * role, status, last sign-in) from it while the rest of the page is on its way.
 */
function cachedUserSummary(client: QueryClient, userId: number): UserSummaryDto | undefined {
  for (const [, data] of client.getQueriesData<InfiniteData<UserPageDto>>({ queryKey: userKeys.lists() })) {
    for (const page of data?.pages ?? []) {
      const found = page.users.find((u) => u.id === userId)
      if (found) return found
    }
  }
  return undefined
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

/** Every user as CSV (no secrets), saved as tessera-users.csv. Reads only: nothing to invalidate. */
export function useExportUsers() {
  return useMutation({
    mutationFn: async () => {
      const { csv } = await unwrap(api().users.export())
      downloadText('tessera-users.csv', csv, 'text/csv;charset=utf-8')
    },
  })
}

export const INVITATIONS_FILE = 'tessera-invitations.csv'

/** FileReader rather than File.text(): the same in Chromium and in jsdom. */
function readText(file: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader()
    reader.onload = () => resolve(String(reader.result))
    reader.onerror = () => reject(new Error(i18n.t('users:import.unreadable')))
    reader.readAsText(file)
  })
}

/** An import's answer: the check that refused the file, or the last batch's progress. */
export type ImportOutcome =
  { ok: false; check: ImportBeginDto } | { ok: true; importId: string; progress: ImportProgressDto }

/**
 * Imports a CSV file: main checks every line first (nothing is imported if any is wrong), then imports
 * it batch by batch, one call each; `onProgress` sees each batch. However it ends, the lists, the
 * dashboard and the runs offered again may have changed.
 */
export function useImportUsers(onProgress: (imported: number, total: number) => void) {
  const after = useAfterUserChange()
  const client = useQueryClient()
  return useMutation({
    mutationFn: async (file: Blob): Promise<ImportOutcome> => {
      const check = await unwrap(api().users.importBegin({ csv: await readText(file) }))
      if (check.importId === null || check.errors.length > 0) return { ok: false, check }
      onProgress(0, check.total)
      let progress: ImportProgressDto
      do {
        progress = await unwrap(api().users.importNext({ importId: check.importId }))
        onProgress(progress.imported, progress.total)
      } while (!progress.done)
      return { ok: true, importId: check.importId, progress }
    },
    onSettled: () => {
      after()
      void client.invalidateQueries({ queryKey: userKeys.unfinishedImports() })
    },
  })
}

/**
 * Offers an import's codes not saved yet as a file, then lets main erase them: main holds each code
 * from its batch's commit until this download, so closing or killing the console loses none.
 * Resolves with how many codes the file holds; the runs offered again change either way.
 */
export function useSaveImportCodes() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: async (importId: string): Promise<number> => {
      const codes = await unwrap(api().users.importCodes({ importId }))
      downloadText(INVITATIONS_FILE, codes.csv, 'text/csv;charset=utf-8')
      await unwrap(api().users.importCodesSaved({ importId, through: codes.through }))
      return codes.count
    },
    gcTime: 0,
    onSettled: () => void client.invalidateQueries({ queryKey: userKeys.unfinishedImports() }),
  })
}

/** Drops an unfinished import or unsaved re-send (and any codes main still holds for it). */
export function useForgetImport() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (importId: string) => unwrap(api().users.importForget({ importId })),
    onSettled: () => void client.invalidateQueries({ queryKey: userKeys.unfinishedImports() }),
  })
}

export type BulkTarget = Input<'users.bulkStart'>['target']
export type BulkAction = Input<'users.bulkStart'>['action']

/** The target of "everyone this Users list shows", as the bulk methods take it. */
export function matchingTarget(q: Pick<UsersQuery, 'search' | 'filter' | 'role'>): BulkTarget {
  const target: BulkTarget = { kind: 'matching' }
  if (q.search.trim()) target.search = q.search.trim()
  if (q.filter) target.filter = q.filter
  if (q.role) target.role = q.role
  return target
}

/** How many users a list's search, filter and role match (for "Select all N matching"). */
export function useMatchingCount(q: UsersQuery, enabled: boolean) {
  const target = matchingTarget(q)
  return useQuery({
    queryKey: ['users', 'bulk', 'count', target] as const,
    queryFn: async () => (await unwrap(api().users.bulkPreview({ target, action: 'export' }))).total,
    enabled,
    staleTime: 0,
  })
}

/** Before a bulk action: how many users, and whom the rules leave alone. */
export function useBulkPreview(target: BulkTarget, action: BulkAction) {
  return useQuery({
    queryKey: ['users', 'bulk', 'preview', target, action] as const,
    queryFn: () => unwrap(api().users.bulkPreview({ target, action })),
    staleTime: 0,
    gcTime: 0,
  })
}

/**
 * Says that held invitation codes (an import's or a bulk re-send's, up to `through`) are saved where a
 * person can read them: main erases its copies. Invalidates the runs offered again.
 */
export function useHeldCodesSaved() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (input: Input<'users.importCodesSaved'>) => unwrap(api().users.importCodesSaved(input)),
    onSettled: () => void client.invalidateQueries({ queryKey: userKeys.unfinishedImports() }),
  })
}

/** How often a running bulk action is asked how far it is. */
export const BULK_POLL_MS = 400

/**
 * Runs a bulk action in main: one call starts it, then one call per poll asks how far it is (never a
 * call per user). `onProgress` sees each answer; the last one (finished) is the mutation's result.
 * Invalidates every Users list, every user page and the dashboard once it is over.
 */
export function useBulkRun(onProgress: (p: BulkProgressDto) => void) {
  const client = useQueryClient()
  return useMutation({
    mutationFn: async (input: { target: BulkTarget; action: BulkAction }) => {
      let p = await unwrap(api().users.bulkStart(input))
      onProgress(p)
      // Asked at least once: the first answer after the end is the one that carries re-sent codes.
      do {
        await new Promise((resolve) => setTimeout(resolve, BULK_POLL_MS))
        p = await unwrap(api().users.bulkProgress({ jobId: p.jobId }))
        onProgress(p)
      } while (!p.finished)
      return p
    },
    onSettled: (p) => {
      if (p?.action === 'export') return
      void client.invalidateQueries({ queryKey: userKeys.all })
      void client.invalidateQueries({ queryKey: dashboardKeys.all })
    },
  })
}
