import { fireEvent, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { countUsers } from '../../../../main/db/queries/users'
import { closeAll, renderWithApi, signedInOwner } from '../../test/harness'

afterEach(closeAll)

const csvFile = (text: string) => new File([text], 'people.csv', { type: 'text/csv' })

async function openImport() {
  const real = await signedInOwner()
  const user = userEvent.setup()
  renderWithApi(real.api)
  await user.click(await screen.findByRole('button', { name: 'Users' }))
  await user.click(await screen.findByRole('button', { name: 'Import CSV' }))
  return { ...real, user, dialog: screen.getByRole('dialog', { name: 'Import users from CSV' }) }
}

describe('ImportDialog', () => {
  it('lists the problems by line and imports nothing', async () => {
    const { backend, dialog } = await openImport()
    const csv =
      'email,name,role,require_2fa\nann@example.com,Ann,member,yes\nnot-an-email,Bob,member,no\ncid@example.com,Cid,wizard,\n'
    fireEvent.change(within(dialog).getByLabelText('CSV file'), { target: { files: [csvFile(csv)] } })
    const problems = await within(dialog).findByRole('list', { name: 'Problems in the file' })
    const lines = within(problems)
      .getAllByRole('listitem')
      .map((li) => li.textContent)
    expect(lines).toEqual([expect.stringMatching(/^Line 3\b/), expect.stringMatching(/^Line 4\b/)])
    expect(within(dialog).getByText(/Nothing was imported/)).toBeVisible()
    expect(await countUsers(backend.services().db)).toBe(1)
  })

  it('imports with a progress bar and offers the invitations once', async () => {
    const { backend, dialog, user } = await openImport()
    const rows = Array.from({ length: 12 }, (_, i) => `p${i}@example.com,Person ${i},member,no`)
    fireEvent.change(within(dialog).getByLabelText('CSV file'), {
      target: { files: [csvFile(['email,name,role,require_2fa', ...rows].join('\n'))] },
    })
    expect(await within(dialog).findByText('Imported 12 users.')).toBeVisible()
    expect(await countUsers(backend.services().db)).toBe(13)
    const download = within(dialog).getByRole('button', { name: 'Download invitations CSV' })
    const created: Blob[] = []
    // jsdom cannot download: catch the file where the page hands it to the browser.
    HTMLAnchorElement.prototype.click = () => {}
    URL.createObjectURL = (b: Blob) => {
      created.push(b)
      return 'blob:test'
    }
    URL.revokeObjectURL = () => {}
    await user.click(download)
    const text = await new Promise<string>((resolve) => {
      const reader = new FileReader()
      reader.onload = () => resolve(String(reader.result))
      reader.readAsText(created[0]!)
    })
    expect(text.split('\n')[0]).toMatch(/email,name,role,invitation_code,expires_at/)
    expect(text).toContain('p11@example.com')
    await user.click(within(dialog).getByRole('button', { name: 'Done' }))
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument())
    expect(await screen.findByText('p0@example.com')).toBeVisible()
  })
})
