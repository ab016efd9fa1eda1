/** The contract's zod schemas and constants; each lives in its area's file under contract/. */
export * from './contract'
