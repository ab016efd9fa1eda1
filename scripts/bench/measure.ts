import { performance } from 'node:perf_hooks'

export interface Figures {
  name: string
  runs: number
  medianMs: number
  p95Ms: number
  meanMs: number
}

/** The q-quantile of ascending times. */
export const quantile = (sorted: number[], q: number): number =>
  sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? Number.NaN

/** Runs `fn` `runs` times after `warmup` untimed runs and reports median, p95 and mean in ms. */
export async function measure(
  name: string,
  runs: number,
  fn: (i: number) => unknown,
  warmup = 3,
): Promise<Figures> {
  for (let i = 0; i < warmup; i++) await fn(-1 - i)
  const times: number[] = []
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now()
    await fn(i)
    times.push(performance.now() - t0)
  }
  times.sort((a, b) => a - b)
  return {
    name,
    runs,
    medianMs: quantile(times, 0.5),
    p95Ms: quantile(times, 0.95),
    meanMs: times.reduce((a, b) => a + b, 0) / times.length,
  }
}

export function printTable(title: string, rows: Figures[]): void {
  console.log(`\n${title}`)
  const w = Math.max(...rows.map((r) => r.name.length), 10)
  console.log(
    `${'operation'.padEnd(w)}  ${'runs'.padStart(5)}  ${'median ms'.padStart(10)}  ${'p95 ms'.padStart(9)}`,
  )
  for (const r of rows) {
    console.log(
      `${r.name.padEnd(w)}  ${String(r.runs).padStart(5)}  ${r.medianMs.toFixed(3).padStart(10)}  ${r.p95Ms.toFixed(3).padStart(9)}`,
    )
  }
}
