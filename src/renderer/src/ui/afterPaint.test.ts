import { afterPaint } from './afterPaint'

const frame = () => new Promise((done) => requestAnimationFrame(done))
const task = () => new Promise((done) => setTimeout(done, 0))

describe('afterPaint', () => {
  it('runs in a task after the next frame, not in the frame itself', async () => {
    const seen: string[] = []
    afterPaint(() => seen.push('after'))
    requestAnimationFrame(() => seen.push('frame'))
    await frame()
    expect(seen).toEqual(['frame'])
    await task()
    expect(seen).toEqual(['frame', 'after'])
  })

  it('does not run once cancelled, before the frame or after it', async () => {
    const seen: string[] = []
    afterPaint(() => seen.push('cancelled before the frame'))()
    const cancel = afterPaint(() => seen.push('cancelled after the frame'))
    await frame()
    cancel()
    await task()
    await frame()
    expect(seen).toEqual([])
  })
})
