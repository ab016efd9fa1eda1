import { fireEvent, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { BulkActionService } from '../../../../main/core/bulk'
import { UserImportService } from '../../../../main/core/user-import'
import { sqlAll } from '../../../../../test/fixtures/sql'
import { countUsers } from '../../../../main/db/queries/users'
import { closeAll, OWNER_USER, renderWithApi, signedInOwner } from '../../test/harness'

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

describe('ImportDialog after the console was killed mid-import', () => {
  it('offers the unfinished import: its unsaved codes once, then the same file to finish it', async () => {
    const real = await signedInOwner()
    const services = real.backend.services()
    const owner = OWNER_USER
    const csv = [
      'email,name,role,require_2fa',
      ...['a', 'b', 'c'].map((x) => `${x}@example.com,${x},member,no`),
    ].join('\n')
    // A console that imported one batch and was killed: its own import service, gone with it.
    const killed = new UserImportService({
      db: services.db,
      clock: real.backend.options.clock,
      audit: services.audit,
      policy: services.policy,
    })
    const begun = await killed.begin(csv, owner)
    await killed.next(begun.importId!, 2, owner, { via: 'desktop', machine: 'test' })

    const user = userEvent.setup()
    renderWithApi(real.api)
    await user.click(await screen.findByRole('button', { name: 'Users' }))
    await user.click(await screen.findByRole('button', { name: 'Import CSV' }))
    const dialog = screen.getByRole('dialog', { name: 'Import users from CSV' })
    const offer = await within(dialog).findByRole('region', { name: 'Unfinished import' })
    expect(offer).toHaveTextContent(/stopped after 2 of 3 users/)
    const created = catchDownloads()
    await user.click(within(offer).getByRole('button', { name: 'Download 2 invitation codes' }))
    await waitFor(() => expect(created).toHaveLength(1))
    const text = await blobText(created[0]!)
    expect(text).toMatch(/a@example\.com,a,member,[2-9A-Z-]{31},/)
    expect(text).toMatch(/b@example\.com/)
    // Shown once: the offer remains (one row is still to import), without codes to download.
    await waitFor(() =>
      expect(within(offer).queryByRole('button', { name: /invitation codes/ })).not.toBeInTheDocument(),
    )
    fireEvent.change(within(dialog).getByLabelText('CSV file'), { target: { files: [csvFile(csv)] } })
    expect(await within(dialog).findByText(/Imported 1 user\. 2 were imported before/)).toBeVisible()
    await user.click(within(dialog).getByRole('button', { name: 'Download invitations CSV' }))
    await waitFor(() => expect(created).toHaveLength(2))
    const rest = await blobText(created[1]!)
    expect(rest).toMatch(/c@example\.com/)
    expect(rest).not.toMatch(/a@example\.com/)
    expect(await countUsers(services.db)).toBe(4)
  })
})

describe('the Users page after the console was killed before a bulk re-send handed its codes over', () => {
  it('offers the re-sent codes until they are downloaded, then forgets them', async () => {
    const real = await signedInOwner()
    const services = real.backend.services()
    const client = { via: 'desktop', machine: 'test' } as const
    for (const x of ['a', 'b'])
      await services.users.create({ email: `${x}@example.com`, name: x, role: 'member' }, OWNER_USER, client)
    // A console that re-sent the invitations and was killed before anyone asked for the result.
    const killed = new BulkActionService({
      db: services.db,
      clock: real.backend.options.clock,
      audit: services.audit,
      users: services.users,
      twoFactor: services.twoFactor,
    })
    const job = await killed.start(
      { kind: 'matching', filter: 'invited' },
      'resend-invitation',
      OWNER_USER,
      client,
    )
    await killed.settled(job.jobId)

    const user = userEvent.setup()
    renderWithApi(real.api)
    await user.click(await screen.findByRole('button', { name: 'Users' }))
    const offer = await screen.findByRole('region', { name: 'Unsaved re-sent invitations' })
    expect(offer).toHaveTextContent(
      /You re-sent invitations on .*: 2 new invitation codes were never saved, and the old codes no longer work\. Download them now\./,
    )
    const created = catchDownloads()
    await user.click(within(offer).getByRole('button', { name: 'Download 2 invitation codes' }))
    await waitFor(() => expect(created).toHaveLength(1))
    const text = await blobText(created[0]!)
    expect(text).toMatch(/a@example\.com,a,member,[2-9A-Z-]{31},/)
    expect(text).toMatch(/b@example\.com,b,member,/)
    await waitFor(() =>
      expect(screen.queryByRole('region', { name: 'Unsaved re-sent invitations' })).not.toBeInTheDocument(),
    )
    expect(await sqlAll(services.db, 'SELECT user_id FROM import_codes')).toEqual([])
  })
})

/** jsdom cannot download: catch each file where the page hands it to the browser. */
function catchDownloads(): Blob[] {
  const created: Blob[] = []
  HTMLAnchorElement.prototype.click = () => {}
  URL.createObjectURL = (b: Blob) => {
    created.push(b)
    return 'blob:test'
  }
  URL.revokeObjectURL = () => {}
  return created
}

const blobText = (blob: Blob): Promise<string> =>
  new Promise<string>((resolve) => {
    const reader = new FileReader()
    reader.onload = () => resolve(String(reader.result))
    reader.readAsText(blob)
  })
