// Signs Permit2 witness transfers for the devnet with viem, the way x402 clients do: the EIP-712 domain,
// types and witnesses below are the ones of the x402 spec (scheme_exact_evm.md, Permit2 section, and
// scheme_upto_evm.md), written out here rather than imported from an x402 package.
import { randomBytes } from 'node:crypto'
import { BaseError, ContractFunctionRevertedError, hexToBigInt, type PublicClient, toHex } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { permit2Abi } from '../src/artifacts/permit2.js'
import { usdcLikeTokenAbi } from '../src/artifacts/usdc-like-token.js'
import { x402ExactPermit2ProxyAbi } from '../src/artifacts/x402-exact-permit2-proxy.js'
import { x402UptoPermit2ProxyAbi } from '../src/artifacts/x402-upto-permit2-proxy.js'
import type { DevnetAccount, DevnetDescription } from '../src/devnet-description.js'

export const TOKEN_PERMISSIONS = [
  { name: 'token', type: 'address' },
  { name: 'amount', type: 'uint256' },
] as const

/** PermitWitnessTransferFrom with the exact scheme's witness: Witness(address to,uint256 validAfter). */
export const EXACT_PERMIT2_TYPES = {
  PermitWitnessTransferFrom: [
    { name: 'permitted', type: 'TokenPermissions' },
    { name: 'spender', type: 'address' },
    { name: 'nonce', type: 'uint256' },
    { name: 'deadline', type: 'uint256' },
    { name: 'witness', type: 'Witness' },
  ],
  TokenPermissions: TOKEN_PERMISSIONS,
  Witness: [
    { name: 'to', type: 'address' },
    { name: 'validAfter', type: 'uint256' },
  ],
} as const

/** PermitWitnessTransferFrom with the upto witness: Witness(address to,address facilitator,uint256 validAfter). */
export const UPTO_PERMIT2_TYPES = {
  PermitWitnessTransferFrom: EXACT_PERMIT2_TYPES.PermitWitnessTransferFrom,
  TokenPermissions: TOKEN_PERMISSIONS,
  Witness: [
    { name: 'to', type: 'address' },
    { name: 'facilitator', type: 'address' },
    { name: 'validAfter', type: 'uint256' },
  ],
} as const

/** PermitTransferFrom without a witness (Permit2's plain signature transfer). */
export const PERMIT_TRANSFER_FROM_TYPES = {
  PermitTransferFrom: [
    { name: 'permitted', type: 'TokenPermissions' },
    { name: 'spender', type: 'address' },
    { name: 'nonce', type: 'uint256' },
    { name: 'deadline', type: 'uint256' },
  ],
  TokenPermissions: TOKEN_PERMISSIONS,
} as const

/** The witness type strings the proxies pass to Permit2 (the spec's WITNESS_TYPE_STRING constants). */
export const EXACT_WITNESS_TYPE_STRING =
  'Witness witness)TokenPermissions(address token,uint256 amount)Witness(address to,uint256 validAfter)'
export const UPTO_WITNESS_TYPE_STRING =
  'Witness witness)TokenPermissions(address token,uint256 amount)Witness(address to,address facilitator,uint256 validAfter)'

export interface Permit {
  permitted: { token: `0x${string}`; amount: bigint }
  nonce: bigint
  deadline: bigint
}

export function permit2Domain(devnet: Pick<DevnetDescription, 'evm'>) {
  return { name: 'Permit2', chainId: devnet.evm.chainId, verifyingContract: devnet.evm.permit2 } as const
}

/** A random 256-bit unordered nonce, as x402 clients pick them. */
export function randomPermit2Nonce(): bigint {
  return hexToBigInt(toHex(randomBytes(32)))
}

export function permitFor(devnet: Pick<DevnetDescription, 'evm'>, amount: bigint, deadline: bigint): Permit {
  return { permitted: { token: devnet.evm.token.address, amount }, nonce: randomPermit2Nonce(), deadline }
}

export function signExactPermit2(
  devnet: Pick<DevnetDescription, 'evm'>,
  signer: DevnetAccount,
  permit: Permit,
  witness: { to: `0x${string}`; validAfter: bigint },
  spender: `0x${string}` = devnet.evm.x402ExactPermit2Proxy,
): Promise<`0x${string}`> {
  return privateKeyToAccount(signer.privateKey).signTypedData({
    domain: permit2Domain(devnet),
    types: EXACT_PERMIT2_TYPES,
    primaryType: 'PermitWitnessTransferFrom',
    message: { ...permit, spender, witness },
  })
}

export function signUptoPermit2(
  devnet: Pick<DevnetDescription, 'evm'>,
  signer: DevnetAccount,
  permit: Permit,
  witness: { to: `0x${string}`; facilitator: `0x${string}`; validAfter: bigint },
  spender: `0x${string}` = devnet.evm.x402UptoPermit2Proxy,
): Promise<`0x${string}`> {
  return privateKeyToAccount(signer.privateKey).signTypedData({
    domain: permit2Domain(devnet),
    types: UPTO_PERMIT2_TYPES,
    primaryType: 'PermitWitnessTransferFrom',
    message: { ...permit, spender, witness },
  })
}

/** Every error the token, Permit2 and the proxies can revert with, to decode a revert from any of them. */
export const REVERT_ABI = [
  ...permit2Abi,
  ...x402ExactPermit2ProxyAbi,
  ...x402UptoPermit2ProxyAbi,
  ...usdcLikeTokenAbi,
].filter((item) => item.type === 'error')

/**
 * Runs `call` (an eth_call that should revert) and returns the revert: the custom error's name, or the
 * reason string of a `require`. Fails when the call does not revert.
 */
export async function revertOf(call: () => Promise<unknown>): Promise<string> {
  try {
    await call()
  } catch (error) {
    if (error instanceof BaseError) {
      const reverted = error.walk((cause) => cause instanceof ContractFunctionRevertedError)
      if (reverted instanceof ContractFunctionRevertedError) {
        if (reverted.data?.errorName === 'Error') return String(reverted.data.args?.[0])
        if (reverted.data !== undefined) return reverted.data.errorName
        if (reverted.signature !== undefined) return reverted.signature
      }
    }
    throw error
  }
  throw new Error('the call did not revert')
}

/** The latest block's timestamp: the chain's "now", which Permit2 compares deadlines with. */
export async function chainNow(client: PublicClient): Promise<bigint> {
  const block = await client.getBlock()
  return block.timestamp
}
