import { getAddress, type Hex, hashTypedData } from 'viem'
import { describe, expect, test } from 'vitest'
import {
  type TransferAuthorization,
  transferWithAuthorizationTypedData,
} from '../../shared/transfer-with-authorization.js'
import { authorizationDigest } from './authorization-digest.js'

const token = getAddress('0x833589fcd6edb6e08f4c7c32d4f71b54bda02913')
const authorization: TransferAuthorization = {
  from: getAddress('0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266'),
  to: getAddress('0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc'),
  value: 1000n,
  validAfter: 0n,
  validBefore: 1_900_000_000n,
  nonce: `0x${'5a'.repeat(32)}` as Hex,
}

function viemDigest(
  chainId: number,
  asset: `0x${string}`,
  name: string,
  version: string,
  message = authorization,
) {
  return hashTypedData(
    transferWithAuthorizationTypedData({ name, version, chainId, verifyingContract: asset }, message),
  )
}

describe('authorizationDigest', () => {
  test('equals viem hashTypedData of the EIP-3009 typed data', () => {
    expect(authorizationDigest(8453, token, 'USD Coin', '2', authorization)).toBe(
      viemDigest(8453, token, 'USD Coin', '2'),
    )
  })

  test('changes with every domain field and stays equal to viem for each (the domain cache is keyed on all)', () => {
    const variants: [number, `0x${string}`, string, string][] = [
      [8453, token, 'USD Coin', '2'],
      [84532, token, 'USD Coin', '2'],
      [8453, getAddress('0x5fbdb2315678afecb367f032d93f642f64180aa3'), 'USD Coin', '2'],
      [8453, token, 'USDC', '2'],
      [8453, token, 'USD Coin', '1'],
      [8453, token, 'Ünïcödé Dollar €', '2'],
    ]
    const digests = variants.map(([chainId, asset, name, version]) => {
      const ours = authorizationDigest(chainId, asset, name, version, authorization)
      expect(ours).toBe(viemDigest(chainId, asset, name, version))
      return ours
    })
    expect(new Set(digests).size).toBe(variants.length)
  })

  test('equals viem for extreme field values (max uint256, all-zero and all-ff nonce)', () => {
    const max = 2n ** 256n - 1n
    const extremes: TransferAuthorization[] = [
      { ...authorization, value: max, validAfter: max, validBefore: max, nonce: `0x${'ff'.repeat(32)}` },
      { ...authorization, value: 0n, validBefore: 0n, nonce: `0x${'00'.repeat(32)}` },
    ]
    for (const message of extremes) {
      expect(authorizationDigest(1, token, 'USD Coin', '2', message)).toBe(
        viemDigest(1, token, 'USD Coin', '2', message),
      )
    }
  })
})
