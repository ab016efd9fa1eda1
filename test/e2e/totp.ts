import { createHmac } from 'node:crypto'

/**
 * RFC 6238 (SHA-1, 6 digits, 30 s) written here from the RFC, independent of src/main/core/totp.ts, so
 * the browser test checks the app against an implementation nobody on the app side wrote.
 */
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'

export function base32Decode(text: string): Buffer {
  let bits = 0
  let acc = 0
  const out: number[] = []
  for (const ch of text.replace(/[\s=]/g, '').toUpperCase()) {
    const v = BASE32.indexOf(ch)
    if (v < 0) throw new Error(`Not a base32 character: ${ch}`)
    acc = ((acc << 5) | v) & 0xffff
    bits += 5
    if (bits >= 8) {
      bits -= 8
      out.push((acc >>> bits) & 0xff)
    }
  }
  return Buffer.from(out)
}

export function totp(key: Buffer, epochMs: number): string {
  const counter = Buffer.alloc(8)
  counter.writeBigUInt64BE(BigInt(Math.floor(epochMs / 30_000)))
  const mac = createHmac('sha1', key).update(counter).digest()
  const offset = mac[mac.length - 1]! & 0x0f
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, '0')
}
