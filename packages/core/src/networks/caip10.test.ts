import { describe, expect, test } from 'vitest'
import { formatCaip10, isCaip10, parseCaip10 } from './caip10.js'

describe('caip10', () => {
  test('parses and formats account ids', () => {
    const id = 'eip155:8453:0xab16a96D359eC26a11e2C2b3d8f8B8942d5Bfcdb'
    expect(isCaip10(id)).toBe(true)
    expect(parseCaip10(id)).toEqual({
      network: 'eip155:8453',
      address: '0xab16a96D359eC26a11e2C2b3d8f8B8942d5Bfcdb',
    })
    expect(formatCaip10('eip155:8453', '0xab16a96D359eC26a11e2C2b3d8f8B8942d5Bfcdb')).toBe(id)
  })

  test.each(['eip155:8453', 'eip155:8453:', 'ab:1:0xab', 'eip155:1:0x ab'])('rejects %j', (id) => {
    expect(isCaip10(id)).toBe(false)
    expect(() => parseCaip10(id)).toThrow(/is not a CAIP-10 account id/)
  })
})
