import { describe, expect, it } from 'vitest'
import { captureLogs } from '../test/log-capture.js'
import { redactStorageUrl } from './facilitator-logger.js'

describe('createFacilitatorLogger', () => {
  it('censors keys, API keys, authorization headers and signatures wherever they are logged', () => {
    const logs = captureLogs()
    logs.logger.info(
      {
        privateKeys: ['0x11'],
        config: { secretKeys: ['abc'], apiKeys: ['k'] },
        headers: { authorization: 'Bearer k', 'x-api-key': 'k' },
        payload: { signature: '0xsig' },
        kept: 'visible',
      },
      'event',
    )
    expect(logs.lines[0]).toMatchObject({
      msg: 'event',
      privateKeys: '[redacted]',
      config: { secretKeys: '[redacted]', apiKeys: '[redacted]' },
      headers: { authorization: '[redacted]', 'x-api-key': '[redacted]' },
      payload: { signature: '[redacted]' },
      kept: 'visible',
    })
  })
})

describe('redactStorageUrl', () => {
  it.each([
    ['postgres://open402:s3cret@db.internal:5432/open402', 'postgres://open402:***@db.internal:5432/open402'],
    ['postgresql://db.internal/open402', 'postgresql://db.internal/open402'],
    ['sqlite:./open402.db', 'sqlite:./open402.db'],
  ])('shows %s as %s', (url, shown) => {
    expect(redactStorageUrl(url)).toBe(shown)
  })
})
