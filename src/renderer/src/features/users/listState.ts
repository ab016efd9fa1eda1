import type { UsersQuery } from './queries'

/** Where the person was on the Users page: what they searched, filtered and sorted, and how far down. */
export interface UsersListState extends UsersQuery {
  scrollTop: number
}

/**
 * Kept in the renderer's memory for as long as the window is open, so "← Users" from a user's page (or
 * the navigation) comes back to the same list at the same row. Not persisted: a new window starts fresh.
 */
let saved: UsersListState | null = null

export const savedUsersList = (): UsersListState | null => saved

export function saveUsersList(state: UsersListState): void {
  saved = state
}

/** Tests start each from a fresh page. */
export function forgetUsersList(): void {
  saved = null
}
