import { renderHook } from '@testing-library/react'
import { messageWith, useMemoizedT } from './index'

describe('a memoized t', () => {
  it('asks i18next once per key and values, and afresh when the language (the t) changes', () => {
    const asked: string[] = []
    const english = (key: string, values?: object) => {
      asked.push(key)
      return `${key}${values ? JSON.stringify(values) : ''}`
    }
    const { result, rerender } = renderHook(({ t }) => useMemoizedT(t), { initialProps: { t: english } })
    expect(result.current('list.title')).toBe('list.title')
    expect(result.current('list.title')).toBe('list.title')
    expect(result.current('table.select', { name: 'Mia' })).toBe('table.select{"name":"Mia"}')
    expect(result.current('table.select', { name: 'Mia' })).toBe('table.select{"name":"Mia"}')
    expect(result.current('table.select', { name: 'Noa' })).toBe('table.select{"name":"Noa"}')
    expect(asked).toEqual(['list.title', 'table.select', 'table.select'])
    const first = result.current
    rerender({ t: english })
    expect(result.current).toBe(first)

    const spanish = (key: string) => `es:${key}`
    rerender({ t: spanish })
    expect(result.current('list.title')).toBe('es:list.title')
  })
})

describe('a message with one value', () => {
  it('is rendered once and filled in by joining, with the text the message itself gives', () => {
    const rendered: string[] = []
    const select = (name: string) => {
      rendered.push(name)
      return `Seleccionar a ${name}`
    }
    const label = messageWith(select)
    expect(label('Mia')).toBe('Seleccionar a Mia')
    expect(label('Noa O’Brien')).toBe(select('Noa O’Brien'))
    expect(rendered).toEqual(['\u0000', 'Noa O’Brien'])
  })

  it('is rendered each time when the value does not come out exactly once', () => {
    const twice = (name: string) => `${name} (${name})`
    expect(messageWith(twice)('Mia')).toBe('Mia (Mia)')
    const none = () => 'Select'
    expect(messageWith(none)('Mia')).toBe('Select')
  })
})
