import { render, screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { BackupCodes } from './BackupCodes'
import { CLIPBOARD_CLEAR_MS, type Schedule } from './backupCodesOut'

const CODES = ['7KQ2M-XD94P', 'ABCDE-FGH23', 'JKLMN-PQR45', 'STUVW-XYZ67', '23456-789AB']

describe('Backup codes', () => {
  it('copies the codes and clears the clipboard again after 30 s', async () => {
    const user = userEvent.setup()
    // jsdom has no clipboard: a fake one that keeps what was last written (set after userEvent's own).
    let held: string | null = null
    const clipboard = { writeText: async (t: string) => void (held = t) }
    Object.defineProperty(navigator, 'clipboard', { value: clipboard, configurable: true })
    const timers: { fn: () => void; ms: number }[] = []
    const schedule: Schedule = (fn, ms) => void timers.push({ fn, ms })
    const { unmount } = render(
      <BackupCodes codes={CODES} account="owner@example.com" onDone={() => {}} schedule={schedule} />,
    )
    await user.click(screen.getByRole('button', { name: 'Copy' }))
    expect(held).toBe(CODES.join('\n'))
    expect(screen.getByRole('status')).toHaveTextContent('The clipboard will be cleared in 30 seconds.')
    expect(timers.map((t) => t.ms)).toEqual([CLIPBOARD_CLEAR_MS])
    expect(CLIPBOARD_CLEAR_MS).toBe(30_000)

    // The screen may be gone by then: the clipboard is cleared all the same.
    unmount()
    timers[0]!.fn()
    await vi.waitFor(() => expect(held).toBe(''))
  })

  it('needs "I have saved these codes" before Done', async () => {
    const user = userEvent.setup()
    const onDone = vi.fn()
    render(<BackupCodes codes={CODES} account="owner@example.com" onDone={onDone} />)
    expect(screen.getByRole('button', { name: 'Done' })).toBeDisabled()
    await user.click(screen.getByRole('checkbox', { name: 'I have saved these codes' }))
    await user.click(screen.getByRole('button', { name: 'Done' }))
    expect(onDone).toHaveBeenCalledTimes(1)
  })
})
