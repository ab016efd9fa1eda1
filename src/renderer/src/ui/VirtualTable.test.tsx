import { fireEvent, render, screen, waitFor, within } from '@testing-library/react'
import { VirtualTable, type Column } from './VirtualTable'

interface Person {
  id: number
  name: string
}

const people: Person[] = Array.from({ length: 200 }, (_, i) => ({ id: i + 1, name: `Person ${i + 1}` }))
const columns: Column<Person>[] = [
  {
    id: 'name',
    header: 'Name',
    width: '1fr',
    cell: (p) => <button type="button">{p.name}</button>,
  },
]

const drawn = () =>
  within(screen.getByTestId('vtable-body'))
    .getAllByRole('row')
    .map((r) => r.textContent)

describe('VirtualTable', () => {
  it('draws a new list in the elements already on screen, each row its own', () => {
    const { rerender } = render(
      <VirtualTable label="People" rows={people} columns={columns} rowKey={(p) => p.id} />,
    )
    const before = screen.getAllByRole('row').slice(1)
    const reversed = [...people].reverse()
    rerender(<VirtualTable label="People" rows={reversed} columns={columns} rowKey={(p) => p.id} />)
    const after = screen.getAllByRole('row').slice(1)
    // The same elements, now holding the other list's rows in its order.
    expect(after).toEqual(before)
    expect(drawn().slice(0, 3)).toEqual(['Person 200', 'Person 199', 'Person 198'])
    expect(after[0]).toHaveAttribute('aria-rowindex', '2')
  })

  it('lets focus go when the row it was in scrolls away, rather than follow another row into its element', () => {
    render(<VirtualTable label="People" rows={people} columns={columns} rowKey={(p) => p.id} />)
    const first = screen.getByRole('button', { name: 'Person 1' })
    first.focus()
    expect(first).toHaveFocus()
    // Far enough that every element on screen now draws another person.
    fireEvent.scroll(screen.getByTestId('vtable-viewport'), { target: { scrollTop: 100 * 40 } })
    expect(drawn()).not.toContain('Person 1')
    expect(document.activeElement).toBe(document.body)
  })

  it('draws the rows in view of a new list first, and the rows around the view after that frame', async () => {
    const { rerender } = render(
      <VirtualTable label="People" rows={people} columns={columns} rowKey={(p) => p.id} overscan={4} />,
    )
    // The view holds 12 rows (480 px of 40 px rows) and the one partly shown below them.
    await waitFor(() => expect(drawn()).toHaveLength(13 + 4))
    fireEvent.scroll(screen.getByTestId('vtable-viewport'), { target: { scrollTop: 50 * 40 } })
    // The same list scrolled: the rows around the view come with it.
    expect(drawn()).toHaveLength(4 + 13 + 4)
    expect(drawn()[0]).toBe('Person 47')

    const reversed = [...people].reverse()
    rerender(
      <VirtualTable label="People" rows={reversed} columns={columns} rowKey={(p) => p.id} overscan={4} />,
    )
    // A new list: only what the person sees, in this render...
    expect(drawn()).toHaveLength(13)
    expect([...drawn()].sort()).toEqual(
      reversed
        .slice(50, 63)
        .map((p) => p.name)
        .sort(),
    )
    // ...and the rows above and below it once that frame has been painted.
    await waitFor(() => expect(drawn()).toHaveLength(4 + 13 + 4))
    expect([...drawn()].sort()).toEqual(
      reversed
        .slice(46, 67)
        .map((p) => p.name)
        .sort(),
    )
  })
})
