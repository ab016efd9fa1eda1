import { runCli } from './main'

// The `tessera` command (bin/tessera.mjs loads the bundle of this file).
process.exitCode = await runCli(process.argv.slice(2), process.env)
