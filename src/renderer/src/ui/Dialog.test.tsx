import { render, screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { useState, type ReactNode } from 'react'
import { Button } from './Button'
import { ConfirmDialog } from './ConfirmDialog'
import { Dialog } from './Dialog'
import { Select } from './Select'
import { TextArea } from './TextArea'

/** A page with a button that opens `dialog`; the dialog closes through what it is given. */
function Page({ dialog }: { dialog: (close: () => void) => ReactNode }) {
  const [open, setOpen] = useState(false)
  return (
    <main>
      <Button onClick={() => setOpen(true)}>Open</Button>
      <Button variant="secondary">Behind</Button>
      {open && dialog(() => setOpen(false))}
    </main>
  )
}

const appRoot = (): HTMLElement => screen.getByRole('main').parentElement!

describe('Dialog', () => {
  it('makes the page behind inert while open, and gives focus back to its opener on close', async () => {
    const user = userEvent.setup()
    render(
      <Page
        dialog={(close) => (
          <Dialog title="Settings" onClose={close}>
            <Button onClick={close}>Close</Button>
          </Dialog>
        )}
      />,
    )
    const opener = screen.getByRole('button', { name: 'Open' })
    expect(appRoot()).not.toHaveAttribute('inert')
    await user.click(opener)
    const dialog = screen.getByRole('dialog', { name: 'Settings' })
    expect(appRoot()).toHaveAttribute('inert')
    expect(appRoot()).not.toContainElement(dialog)
    expect(dialog.closest('[inert]')).toBeNull()
    expect(screen.getByRole('button', { name: 'Close' })).toHaveFocus()

    await user.keyboard('{Escape}')
    expect(screen.queryByRole('dialog')).toBeNull()
    expect(appRoot()).not.toHaveAttribute('inert')
    expect(opener).toHaveFocus()
  })

  it('keeps Tab and Shift+Tab cycling inside the dialog', async () => {
    const user = userEvent.setup()
    render(
      <Page
        dialog={(close) => (
          <Dialog title="Three buttons" onClose={close}>
            <Button>First</Button>
            <Button>Second</Button>
            <Button disabled>Not now</Button>
            <Button>Last</Button>
          </Dialog>
        )}
      />,
    )
    await user.click(screen.getByRole('button', { name: 'Open' }))
    const first = screen.getByRole('button', { name: 'First' })
    const last = screen.getByRole('button', { name: 'Last' })
    expect(first).toHaveFocus()
    await user.tab()
    expect(screen.getByRole('button', { name: 'Second' })).toHaveFocus()
    await user.tab()
    expect(last).toHaveFocus()
    await user.tab()
    expect(first).toHaveFocus()
    await user.tab({ shift: true })
    expect(last).toHaveFocus()
    await user.tab({ shift: true })
    await user.tab({ shift: true })
    expect(first).toHaveFocus()
    expect(screen.getByRole('button', { name: 'Behind', hidden: true })).not.toHaveFocus()
  })

  it('focuses the first field, a select or a textarea included', async () => {
    const user = userEvent.setup()
    const { unmount } = render(
      <Page
        dialog={(close) => (
          <Dialog title="Pick" onClose={close}>
            <p>Choose one.</p>
            <Button onClick={close}>Cancel</Button>
            <Select label="Role" defaultValue="member">
              <option value="member">Member</option>
            </Select>
          </Dialog>
        )}
      />,
    )
    await user.click(screen.getByRole('button', { name: 'Open' }))
    expect(screen.getByLabelText('Role')).toHaveFocus()
    unmount()

    render(
      <Page
        dialog={(close) => (
          <Dialog title="Why" onClose={close}>
            <Button onClick={close}>Cancel</Button>
            <TextArea label="Reason" />
          </Dialog>
        )}
      />,
    )
    await user.click(screen.getByRole('button', { name: 'Open' }))
    expect(screen.getByLabelText('Reason')).toHaveFocus()
  })

  it('without onClose ignores Escape: only its own button closes it', async () => {
    const user = userEvent.setup()
    render(
      <Page
        dialog={(close) => (
          <Dialog title="Your code">
            <Button onClick={close}>I have written it down</Button>
          </Dialog>
        )}
      />,
    )
    await user.click(screen.getByRole('button', { name: 'Open' }))
    await user.keyboard('{Escape}')
    expect(screen.getByRole('dialog', { name: 'Your code' })).toBeVisible()
    await user.click(document.querySelector('.dialog-backdrop')!)
    expect(screen.getByRole('dialog', { name: 'Your code' })).toBeVisible()
    await user.click(screen.getByRole('button', { name: 'I have written it down' }))
    expect(screen.queryByRole('dialog')).toBeNull()
    expect(appRoot()).not.toHaveAttribute('inert')
  })

  it('answers Escape in the innermost dialog only, and each gives back what it made inert', async () => {
    const user = userEvent.setup()
    function Nested() {
      const [inner, setInner] = useState(false)
      const [outer, setOuter] = useState(true)
      return (
        <main>
          {outer && (
            <Dialog title="Outer" onClose={() => setOuter(false)}>
              <Button onClick={() => setInner(true)}>More</Button>
              {inner && (
                <Dialog title="Inner" onClose={() => setInner(false)}>
                  <Button>Inside</Button>
                </Dialog>
              )}
            </Dialog>
          )}
        </main>
      )
    }
    render(<Nested />)
    await user.click(screen.getByRole('button', { name: 'More' }))
    const outer = screen.getByRole('dialog', { name: 'Outer', hidden: true })
    expect(outer.parentElement).toHaveAttribute('inert')
    await user.keyboard('{Escape}')
    expect(screen.queryByRole('dialog', { name: 'Inner' })).toBeNull()
    expect(screen.getByRole('dialog', { name: 'Outer' })).toBeVisible()
    expect(outer.parentElement).not.toHaveAttribute('inert')
    expect(appRoot()).toHaveAttribute('inert')
    expect(screen.getByRole('button', { name: 'More' })).toHaveFocus()
    await user.keyboard('{Escape}')
    expect(screen.queryByRole('dialog')).toBeNull()
    expect(appRoot()).not.toHaveAttribute('inert')
  })
})

describe('ConfirmDialog', () => {
  it('starts on Cancel, so Enter cancels instead of confirming', async () => {
    const user = userEvent.setup()
    const confirmed: string[] = []
    render(
      <Page
        dialog={(close) => (
          <ConfirmDialog
            title="Delete everything?"
            confirmLabel="Delete"
            danger
            onConfirm={async () => void confirmed.push('yes')}
            onClose={close}
          >
            <p>It cannot be undone.</p>
          </ConfirmDialog>
        )}
      />,
    )
    await user.click(screen.getByRole('button', { name: 'Open' }))
    expect(screen.getByRole('button', { name: 'Cancel' })).toHaveFocus()
    await user.keyboard('{Enter}')
    expect(screen.queryByRole('dialog')).toBeNull()
    expect(confirmed).toEqual([])
  })

  it('keeps the confirm button disabled while told to', async () => {
    const user = userEvent.setup()
    const confirmed: string[] = []
    render(
      <ConfirmDialog
        title="Sure?"
        confirmLabel="Go"
        confirmDisabled
        onConfirm={async () => void confirmed.push('yes')}
        onClose={() => {}}
      >
        <p>Not yet.</p>
      </ConfirmDialog>,
    )
    const go = screen.getByRole('button', { name: 'Go' })
    expect(go).toBeDisabled()
    await user.click(go)
    expect(confirmed).toEqual([])
  })
})
