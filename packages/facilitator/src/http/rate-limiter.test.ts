import { describe, expect, it } from 'vitest'
import { createRateLimiter } from './rate-limiter.js'

describe('createRateLimiter', () => {
  it('allows a burst of `requests`, then refuses with the seconds until the next token', () => {
    let time = 0
    const limiter = createRateLimiter({ requests: 3, windowMs: 60_000, now: () => time })
    expect([1, 2, 3].map(() => limiter.take('a').allowed)).toEqual([true, true, true])
    expect(limiter.take('a')).toEqual({ allowed: false, retryAfterSeconds: 20 })
    time = 10_000
    expect(limiter.take('a')).toEqual({ allowed: false, retryAfterSeconds: 10 })
    time = 20_000
    expect(limiter.take('a')).toEqual({ allowed: true })
    expect(limiter.take('a').allowed).toBe(false)
  })

  it('keeps one bucket per client', () => {
    const limiter = createRateLimiter({ requests: 1, windowMs: 1000, now: () => 0 })
    expect(limiter.take('a').allowed).toBe(true)
    expect(limiter.take('a').allowed).toBe(false)
    expect(limiter.take('b').allowed).toBe(true)
  })

  it('refills to at most `requests` tokens however long a client was idle', () => {
    let time = 0
    const limiter = createRateLimiter({ requests: 2, windowMs: 1000, now: () => time })
    limiter.take('a')
    time = 1_000_000
    expect([1, 2, 3].map(() => limiter.take('a').allowed)).toEqual([true, true, false])
  })

  it('forgets the least recently seen client beyond maxClients', () => {
    const limiter = createRateLimiter({ requests: 1, windowMs: 60_000, maxClients: 2, now: () => 0 })
    limiter.take('a')
    limiter.take('b')
    limiter.take('c')
    expect(limiter.take('a').allowed).toBe(true)
    expect(limiter.take('c').allowed).toBe(false)
  })
})
