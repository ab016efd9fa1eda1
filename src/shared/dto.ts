/** What main returns, as types; each lives in its area's file under contract/. */
export type * from './contract'
