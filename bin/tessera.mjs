#!/usr/bin/env node
import { existsSync } from 'node:fs'

const cli = new URL('../out/main/cli.js', import.meta.url)
if (!existsSync(cli)) {
  console.error("Tessera's CLI is not built: run npm run build")
  process.exit(1)
}
await import(cli.href)
