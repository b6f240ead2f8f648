// Signs EIP-3009 / EIP-2612 messages for the devnet token with viem, the way x402 clients do.
import { randomBytes } from 'node:crypto'
import { bytesToHex } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import type { DevnetDescription } from '../src/devnet-description.js'

export const TRANSFER_WITH_AUTHORIZATION_TYPES = {
  TransferWithAuthorization: [
    { name: 'from', type: 'address' },
    { name: 'to', type: 'address' },
    { name: 'value', type: 'uint256' },
    { name: 'validAfter', type: 'uint256' },
    { name: 'validBefore', type: 'uint256' },
    { name: 'nonce', type: 'bytes32' },
  ],
} as const

export const RECEIVE_WITH_AUTHORIZATION_TYPES = {
  ReceiveWithAuthorization: TRANSFER_WITH_AUTHORIZATION_TYPES.TransferWithAuthorization,
} as const

export const CANCEL_AUTHORIZATION_TYPES = {
  CancelAuthorization: [
    { name: 'authorizer', type: 'address' },
    { name: 'nonce', type: 'bytes32' },
  ],
} as const

export const PERMIT_TYPES = {
  Permit: [
    { name: 'owner', type: 'address' },
    { name: 'spender', type: 'address' },
    { name: 'value', type: 'uint256' },
    { name: 'nonce', type: 'uint256' },
    { name: 'deadline', type: 'uint256' },
  ],
} as const

export interface Authorization {
  from: `0x${string}`
  to: `0x${string}`
  value: bigint
  validAfter: bigint
  validBefore: bigint
  nonce: `0x${string}`
}

export function tokenDomain(devnet: Pick<DevnetDescription, 'evm'>) {
  const { token, chainId } = devnet.evm
  return { name: token.name, version: token.version, chainId, verifyingContract: token.address } as const
}

export function nowInSeconds(): bigint {
  return BigInt(Math.floor(Date.now() / 1000))
}

export function randomNonce(): `0x${string}` {
  return bytesToHex(randomBytes(32))
}

/** An authorization valid from ten minutes ago until ten minutes from now, with a fresh nonce. */
export function authorization(fields: Pick<Authorization, 'from' | 'to' | 'value'> & Partial<Authorization>) {
  const now = nowInSeconds()
  return { validAfter: now - 600n, validBefore: now + 600n, nonce: randomNonce(), ...fields }
}

export function signTransferAuthorization(
  devnet: Pick<DevnetDescription, 'evm'>,
  signerKey: `0x${string}`,
  message: Authorization,
  primaryType: 'TransferWithAuthorization' | 'ReceiveWithAuthorization' = 'TransferWithAuthorization',
): Promise<`0x${string}`> {
  const signer = privateKeyToAccount(signerKey)
  const domain = tokenDomain(devnet)
  return primaryType === 'TransferWithAuthorization'
    ? signer.signTypedData({ domain, types: TRANSFER_WITH_AUTHORIZATION_TYPES, primaryType, message })
    : signer.signTypedData({ domain, types: RECEIVE_WITH_AUTHORIZATION_TYPES, primaryType, message })
}
