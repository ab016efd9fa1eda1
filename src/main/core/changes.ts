/**
 * What other consoles changed, for the console's screens to refresh: a version that grows with every
 * change heard, and the areas ('users', 'recovery') changed since a version. A screen asks with the last
 * version it saw and waits (long poll) until something changes or the wait is over.
 */
export interface ChangesSince {
  version: number
  areas: string[]
  /** Whether changes from other consoles are heard at all (a team database); false: do not ask again. */
  live: boolean
}

const ALL_AREAS = ['users', 'recovery'] as const
const KEPT = 200

export class ChangeFeed {
  private version = 0
  private readonly recent: { version: number; area: string }[] = []
  private waiters: (() => void)[] = []
  live = false

  record(area: string): void {
    this.version++
    this.recent.push({ version: this.version, area })
    if (this.recent.length > KEPT) this.recent.shift()
    this.wake()
  }

  /** Ends every wait (the database closed): they answer with what they have. */
  wake(): void {
    const waiters = this.waiters
    this.waiters = []
    for (const w of waiters) w()
  }

  async next(after: number, waitMs: number): Promise<ChangesSince> {
    if (this.live && after === this.version && waitMs > 0) {
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer)
          // A wait that ran out leaves nothing behind to wake.
          this.waiters = this.waiters.filter((w) => w !== done)
          resolve()
        }
        const timer = setTimeout(done, waitMs)
        timer.unref?.()
        this.waiters.push(done)
      })
    }
    return this.since(after)
  }

  private since(after: number): ChangesSince {
    const oldest = this.recent[0]?.version ?? this.version + 1
    // Asked from another run of the console, or from before what is kept: everything may have changed.
    const areas =
      after > this.version || (after < oldest - 1 && this.version > 0)
        ? [...ALL_AREAS]
        : [...new Set(this.recent.filter((c) => c.version > after).map((c) => c.area))]
    return { version: this.version, areas, live: this.live }
  }
}
