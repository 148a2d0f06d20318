// The pure pieces of the rate limiter: classifying a 429 and the window model.
import { describe, expect, it } from '@jest/globals'
import { classifyTooManyRequests } from '../src/http/rate-limit-headers.js'
import { expireWindows, mergeWindow, observedWindow, RESET_MARGIN_MS, type WindowBook } from '../src/http/rate-window.js'

const res = (status: number, headers: Record<string, string> = {}) => ({ status, headers, body: '' })

describe('classifyTooManyRequests', () => {
  it.each([
    ['budget spent', 429, { 'x-ratelimit-remaining': '0', 'retry-after': '1' }, 'rate'],
    ['budget left', 429, { 'x-ratelimit-remaining': '7', 'retry-after': '1' }, 'concurrency'],
    ['no rate-limit headers', 429, { 'retry-after': '1' }, 'unknown'],
    ['malformed Remaining', 429, { 'x-ratelimit-remaining': 'lots' }, 'unknown'],
    ['not a 429', 503, { 'x-ratelimit-remaining': '7' }, undefined]
  ])('%s', (_name, status, headers, expected) => {
    expect(classifyTooManyRequests(res(status, headers))).toBe(expected)
  })
})

describe('the window model', () => {
  const h = { remaining: 3, limit: 10, resetSeconds: 2 }

  it('an answer sent at 100 and received at 300 with Reset 2 ends in (1100, 2300 + margin]', () => {
    expect(observedWindow(h, 100, 300)).toEqual({ remaining: 3, limit: 10, earliestEnd: 1100, latestEnd: 2300 + RESET_MARGIN_MS })
    expect(observedWindow(h, 100, 300, true)?.latestEnd).toBe(3300 + RESET_MARGIN_MS)
    expect(observedWindow({ remaining: 3 }, 100, 300)).toBeUndefined()
  })

  it('overlapping answers are one window with the lowest Remaining, out of order or not', () => {
    const a = observedWindow({ remaining: 5, resetSeconds: 2 }, 0, 100)!
    const b = observedWindow({ remaining: 2, resetSeconds: 2 }, 50, 150)!
    const ab = mergeWindow(mergeWindow({}, a), b)
    const ba = mergeWindow(mergeWindow({}, b), a)
    expect(ab.cur?.remaining).toBe(2)
    expect(ba.cur).toEqual(ab.cur)
  })

  it('keeps an answer about the next window for later, and ignores a late one about an earlier window', () => {
    const cur = observedWindow({ remaining: 0, resetSeconds: 1 }, 0, 10)!
    const next = observedWindow({ remaining: 9, resetSeconds: 2 }, 1500, 1510)!
    let book: WindowBook = mergeWindow(mergeWindow({}, cur), next)
    expect(book.cur?.remaining).toBe(0)
    expect(book.next?.remaining).toBe(9)
    book = expireWindows(book, cur.latestEnd)
    expect(book.cur?.remaining).toBe(9)
    expect(book.last).toEqual(cur)
    const late = observedWindow({ remaining: 4, resetSeconds: 1 }, 0, 20)!
    expect(mergeWindow(book, late)).toBe(book)
  })

  it('after the last window ends the budget is unknown, and a late answer about it does not bring it back', () => {
    const w = observedWindow({ remaining: 0, resetSeconds: 1 }, 0, 10)!
    const book = expireWindows({ cur: w }, w.latestEnd + 1)
    expect(book.cur).toBeUndefined()
    expect(mergeWindow(book, observedWindow({ remaining: 0, resetSeconds: 1 }, 0, 12)!)).toBe(book)
  })
})
