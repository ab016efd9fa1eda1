#!/usr/bin/env node
// Draws the app icon (a 3×3 mosaic of tiles, the tesserae, one of them lit) and writes the files that
// electron-builder packages: resources/icon.png (1024 px), resources/icons/NxN.png (Linux),
// resources/icon.ico (Windows) and resources/icon.icns (macOS). Drawn at every size rather than scaled
// down, so the small sizes stay sharp. Run it again after changing the drawing: node scripts/make-icons.mjs
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { crc32, deflateSync } from 'node:zlib'

const resources = join(import.meta.dirname, '..', 'resources')

/** Signed distance from (x, y) to a rounded rectangle (negative inside). */
function roundedRect(x, y, cx, cy, halfW, halfH, radius) {
  const qx = Math.abs(x - cx) - halfW + radius
  const qy = Math.abs(y - cy) - halfH + radius
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - radius
}

const mix = (a, b, t) => a.map((v, i) => v + (b[i] - v) * t)

/** The colour (RGBA, 0–255) at a point of the unit square. */
function shade(x, y) {
  if (roundedRect(x, y, 0.5, 0.5, 0.46, 0.46, 0.2) > 0) return [0, 0, 0, 0]
  const background = mix([16, 76, 92], [27, 127, 121], y)
  const tile = 0.235
  const gap = 0.035
  for (let row = 0; row < 3; row++) {
    for (let col = 0; col < 3; col++) {
      const cx = 0.5 + (col - 1) * (tile + gap)
      const cy = 0.5 + (row - 1) * (tile + gap)
      if (roundedRect(x, y, cx, cy, tile / 2, tile / 2, 0.045) <= 0) {
        return row === 1 && col === 1
          ? [242, 177, 52, 255]
          : [...mix([236, 244, 245], [200, 226, 228], y), 255]
      }
    }
  }
  return [...background, 255]
}

/** RGBA pixels of the icon at `size` px, 4×4 samples a pixel for smooth edges. */
function draw(size) {
  const samples = 4
  const pixels = Buffer.alloc(size * size * 4)
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      const sum = [0, 0, 0, 0]
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const [r, g, b, a] = shade((px + (sx + 0.5) / samples) / size, (py + (sy + 0.5) / samples) / size)
          // Colours are summed weighted by their alpha, so transparent samples add no dark fringe.
          sum[0] += r * a
          sum[1] += g * a
          sum[2] += b * a
          sum[3] += a
        }
      }
      const o = (py * size + px) * 4
      const alpha = sum[3] / (samples * samples)
      pixels[o] = sum[3] ? Math.round(sum[0] / sum[3]) : 0
      pixels[o + 1] = sum[3] ? Math.round(sum[1] / sum[3]) : 0
      pixels[o + 2] = sum[3] ? Math.round(sum[2] / sum[3]) : 0
      pixels[o + 3] = Math.round(alpha)
    }
  }
  return pixels
}

function png(size) {
  const pixels = draw(size)
  const rows = Buffer.alloc(size * (size * 4 + 1))
  for (let y = 0; y < size; y++) pixels.copy(rows, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4)
  const chunk = (type, data) => {
    const out = Buffer.alloc(12 + data.length)
    out.writeUInt32BE(data.length, 0)
    out.write(type, 4, 'latin1')
    data.copy(out, 8)
    out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length)
    return out
  }
  const header = Buffer.alloc(13)
  header.writeUInt32BE(size, 0)
  header.writeUInt32BE(size, 4)
  header.set([8, 6, 0, 0, 0], 8) // 8 bits a channel, RGBA, deflate, no filter method, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ])
}

const pngs = new Map()
const pngOf = (size) => {
  if (!pngs.has(size)) pngs.set(size, png(size))
  return pngs.get(size)
}

/** A Windows icon holding PNG images (Vista and later read them). */
function ico(sizes) {
  const header = Buffer.alloc(6 + 16 * sizes.length)
  header.writeUInt16LE(1, 2)
  header.writeUInt16LE(sizes.length, 4)
  let offset = header.length
  sizes.forEach((size, i) => {
    const e = 6 + 16 * i
    header[e] = size >= 256 ? 0 : size
    header[e + 1] = size >= 256 ? 0 : size
    header.writeUInt16LE(1, e + 4) // colour planes
    header.writeUInt16LE(32, e + 6) // bits a pixel
    header.writeUInt32LE(pngOf(size).length, e + 8)
    header.writeUInt32LE(offset, e + 12)
    offset += pngOf(size).length
  })
  return Buffer.concat([header, ...sizes.map(pngOf)])
}

/** A macOS icon family of PNG images, by type code. */
function icns(types) {
  const entries = Object.entries(types).map(([type, size]) => {
    const head = Buffer.alloc(8)
    head.write(type, 0, 'latin1')
    head.writeUInt32BE(8 + pngOf(size).length, 4)
    return Buffer.concat([head, pngOf(size)])
  })
  const head = Buffer.alloc(8)
  head.write('icns', 0, 'latin1')
  head.writeUInt32BE(8 + entries.reduce((n, e) => n + e.length, 0), 4)
  return Buffer.concat([head, ...entries])
}

mkdirSync(join(resources, 'icons'), { recursive: true })
writeFileSync(join(resources, 'icon.png'), pngOf(1024))
for (const size of [16, 32, 48, 64, 128, 256, 512]) {
  writeFileSync(join(resources, 'icons', `${size}x${size}.png`), pngOf(size))
}
writeFileSync(join(resources, 'icon.ico'), ico([16, 24, 32, 48, 64, 128, 256]))
writeFileSync(
  join(resources, 'icon.icns'),
  icns({
    icp4: 16,
    icp5: 32,
    icp6: 64,
    ic07: 128,
    ic08: 256,
    ic09: 512,
    ic10: 1024,
    ic11: 32,
    ic12: 64,
    ic13: 256,
    ic14: 512,
  }),
)
console.log(`Icons written to ${resources}`)
