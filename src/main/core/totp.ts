import { NodeCryptoPlugin } from '@otplib/plugin-crypto-node'
import { ScureBase32Plugin, generate, verify } from 'otplib'
import { randomBytes } from 'node:crypto'

/**
 * RFC 6238 TOTP through otplib with Node's crypto. Tessera enrolls with the parameters every
 * authenticator app supports (SHA1, 6 digits, 30 s, 20-byte secret); the others exist for the RFC
 * vectors and for importing tokens.
 */
export type TotpAlgorithm = 'sha1' | 'sha256' | 'sha512'

export interface TotpParams {
  secret: Uint8Array
  algorithm: TotpAlgorithm
  digits: 6 | 7 | 8
  period: number
}

export const DEFAULT_TOTP = { algorithm: 'sha1', digits: 6, period: 30 } as const
export const TOTP_SECRET_BYTES = 20
export const ISSUER = 'Tessera'

const crypto = new NodeCryptoPlugin()
const base32 = new ScureBase32Plugin()

export const newTotpSecret = (): Uint8Array => new Uint8Array(randomBytes(TOTP_SECRET_BYTES))

export const toBase32 = (secret: Uint8Array): string => base32.encode(secret, { padding: false })

export const fromBase32 = (text: string): Uint8Array =>
  base32.decode(text.replace(/[\s=]/g, '').toUpperCase())

/** The manual key as people type it: base32 in groups of four. */
export const manualKey = (secret: Uint8Array): string =>
  toBase32(secret)
    .match(/.{1,4}/g)!
    .join(' ')

/**
 * otpauth://totp/Tessera:ana%40example.com?secret=…&issuer=Tessera&algorithm=SHA1&digits=6&period=30
 * (Key URI Format). The parameters are written out even where they are the defaults, so no app guesses.
 */
export function otpauthUri(secret: Uint8Array, label: string, issuer = ISSUER): string {
  const params = new URLSearchParams({
    secret: toBase32(secret),
    issuer,
    algorithm: DEFAULT_TOTP.algorithm.toUpperCase(),
    digits: String(DEFAULT_TOTP.digits),
    period: String(DEFAULT_TOTP.period),
  })
  return `otpauth://totp/${encodeURIComponent(issuer)}:${encodeURIComponent(label)}?${params.toString()}`
}

export function totpAt(p: TotpParams, epochMs: number): Promise<string> {
  return generate({
    strategy: 'totp',
    secret: p.secret,
    crypto,
    base32,
    algorithm: p.algorithm,
    digits: p.digits,
    period: p.period,
    epoch: Math.floor(epochMs / 1000),
  })
}

/**
 * Checks a code against the steps within ±`window` of now. Returns the matching time step (for the
 * replay guard: the caller refuses a step at or before the last accepted one), or null.
 */
export async function matchTotp(
  p: TotpParams,
  code: string,
  epochMs: number,
  window = 1,
): Promise<number | null> {
  if (!new RegExp(`^\\d{${p.digits}}$`).test(code)) return null
  const r = await verify({
    strategy: 'totp',
    secret: p.secret,
    token: code,
    crypto,
    base32,
    algorithm: p.algorithm,
    digits: p.digits,
    period: p.period,
    epoch: Math.floor(epochMs / 1000),
    epochTolerance: window * p.period,
  })
  return r.valid && 'timeStep' in r ? r.timeStep : null
}
