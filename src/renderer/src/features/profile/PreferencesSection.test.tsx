import { act, screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { i18n } from '../../i18n'
import { closeAll, renderWithApi, signedInOwner } from '../../test/harness'

afterEach(async () => {
  await closeAll()
  await act(() => i18n.changeLanguage('en'))
})

describe('Language and appearance in My profile', () => {
  it('switches the console to Spanish and dark at once, and keeps both with the account', async () => {
    const user = userEvent.setup()
    const real = await signedInOwner()
    const { unmount } = renderWithApi(real.api)
    await user.click(await screen.findByRole('button', { name: 'My profile' }))
    const panel = await screen.findByRole('region', { name: 'Language and appearance' })
    // Before any choice: the OS's (jsdom's navigator says English) and its light scheme.
    expect(within(panel).getByLabelText('Language')).toHaveValue('')
    expect(within(panel).getByRole('option', { name: 'Same as the system (English)' })).toBeInTheDocument()
    expect(document.documentElement).toHaveAttribute('data-theme', 'light')

    await user.selectOptions(within(panel).getByLabelText('Theme'), 'dark')
    await vi.waitFor(() => expect(document.documentElement).toHaveAttribute('data-theme', 'dark'))
    await user.selectOptions(within(panel).getByLabelText('Language'), 'es')
    const spanish = await screen.findByRole('region', { name: 'Idioma y apariencia' })
    expect(document.documentElement).toHaveAttribute('lang', 'es')
    expect(within(spanish).getByRole('status')).toHaveTextContent('Guardado.')
    expect(await real.api.preferences.get()).toEqual({ ok: true, value: { language: 'es', theme: 'dark' } })

    // The console opened again on the same session: the choices come back from the account.
    unmount()
    await act(() => i18n.changeLanguage('en'))
    renderWithApi(real.api)
    await vi.waitFor(() => expect(document.documentElement).toHaveAttribute('lang', 'es'))
    expect(document.documentElement).toHaveAttribute('data-theme', 'dark')
  })
})
