import type * as Argon2Module from '@node-rs/argon2'
import { createRequire } from 'node:module'

/**
 * @node-rs/argon2 through require() rather than an ESM import: importing this CommonJS package makes
 * Node read and scan its source for export names on every start. It is still loaded when this module
 * is, so a missing or broken native build fails the start as before, and is never mistaken later for a
 * wrong password by a caller that treats any error of verify() as "no match".
 */
const argon2 = createRequire(import.meta.url)('@node-rs/argon2') as typeof Argon2Module

export const { hash, hashRaw, verify } = argon2
