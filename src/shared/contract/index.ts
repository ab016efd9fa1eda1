/**
 * The contract by area: each file holds its area's zod input schemas, its DTOs and its methods (input,
 * access rule, output). `api.ts` puts the methods together; `schemas.ts` and `dto.ts` re-export the rest.
 */
export * from './common'
export * from './session'
export * from './setup'
export * from './auth'
export * from './two-factor'
export * from './phone'
export * from './users'
export * from './dashboard'
export * from './policy'
export * from './preferences'
export * from './audit'
export * from './sms'
export * from './recovery'
export * from './email'
export * from './password'
