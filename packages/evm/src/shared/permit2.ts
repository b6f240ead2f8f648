import type { Address } from 'viem'

/** Uniswap's Permit2, at the same address on every chain. */
export const PERMIT2_ADDRESS: Address = '0x000000000022D473030F116dDEE9F6B43aC78BA3'

/** The x402 exact Permit2 proxy (CREATE2, same address on every chain): the `spender` of exact Permit2 payments. */
export const X402_EXACT_PERMIT2_PROXY_ADDRESS: Address = '0x402085c248EeA27D92E8b30b2C58ed07f9E20001'

/** The x402 upto Permit2 proxy (CREATE2, same address on every chain): the `spender` of upto payments. */
export const X402_UPTO_PERMIT2_PROXY_ADDRESS: Address = '0x4020A4f3b7b90ccA423B9fabCc0CE57C6C240002'

/** Key of the extension that carries an EIP-2612 permit for Permit2 (x402 `eip2612GasSponsoring`). */
export const EIP2612_GAS_SPONSORING = 'eip2612GasSponsoring'

const TOKEN_PERMISSIONS = [
  { name: 'token', type: 'address' },
  { name: 'amount', type: 'uint256' },
] as const

const PERMIT_WITNESS_TRANSFER_FROM = [
  { name: 'permitted', type: 'TokenPermissions' },
  { name: 'spender', type: 'address' },
  { name: 'nonce', type: 'uint256' },
  { name: 'deadline', type: 'uint256' },
  { name: 'witness', type: 'Witness' },
] as const

/** EIP-712 types of an exact Permit2 payment: `Witness(address to,uint256 validAfter)` (scheme_exact_evm.md). */
export const EXACT_PERMIT2_WITNESS_TYPES = {
  PermitWitnessTransferFrom: PERMIT_WITNESS_TRANSFER_FROM,
  TokenPermissions: TOKEN_PERMISSIONS,
  Witness: [
    { name: 'to', type: 'address' },
    { name: 'validAfter', type: 'uint256' },
  ],
} as const

/** EIP-712 types of an upto payment: `Witness(address to,address facilitator,uint256 validAfter)` (scheme_upto_evm.md). */
export const UPTO_PERMIT2_WITNESS_TYPES = {
  PermitWitnessTransferFrom: PERMIT_WITNESS_TRANSFER_FROM,
  TokenPermissions: TOKEN_PERMISSIONS,
  Witness: [
    { name: 'to', type: 'address' },
    { name: 'facilitator', type: 'address' },
    { name: 'validAfter', type: 'uint256' },
  ],
} as const

/** EIP-2612 `Permit`, signed in the token's own EIP-712 domain. */
export const EIP2612_PERMIT_TYPES = {
  Permit: [
    { name: 'owner', type: 'address' },
    { name: 'spender', type: 'address' },
    { name: 'value', type: 'uint256' },
    { name: 'nonce', type: 'uint256' },
    { name: 'deadline', type: 'uint256' },
  ],
} as const

/** Permit2's EIP-712 domain on a chain: `{ name: 'Permit2', chainId, verifyingContract }`, no version. */
export function permit2Domain(chainId: number) {
  return { name: 'Permit2', chainId, verifyingContract: PERMIT2_ADDRESS } as const
}

const permitTuple = {
  name: 'permit',
  type: 'tuple',
  components: [
    {
      name: 'permitted',
      type: 'tuple',
      components: [
        { name: 'token', type: 'address' },
        { name: 'amount', type: 'uint256' },
      ],
    },
    { name: 'nonce', type: 'uint256' },
    { name: 'deadline', type: 'uint256' },
  ],
} as const

const permit2612Tuple = {
  name: 'permit2612',
  type: 'tuple',
  components: [
    { name: 'value', type: 'uint256' },
    { name: 'deadline', type: 'uint256' },
    { name: 'r', type: 'bytes32' },
    { name: 's', type: 'bytes32' },
    { name: 'v', type: 'uint8' },
  ],
} as const

const exactWitnessTuple = {
  name: 'witness',
  type: 'tuple',
  components: [
    { name: 'to', type: 'address' },
    { name: 'validAfter', type: 'uint256' },
  ],
} as const

const uptoWitnessTuple = {
  name: 'witness',
  type: 'tuple',
  components: [
    { name: 'to', type: 'address' },
    { name: 'facilitator', type: 'address' },
    { name: 'validAfter', type: 'uint256' },
  ],
} as const

const owner = { name: 'owner', type: 'address' } as const
const signature = { name: 'signature', type: 'bytes' } as const
const amount = { name: 'amount', type: 'uint256' } as const

/** Errors the proxies and Permit2 revert with, so a failed simulation can be named. */
const permit2Errors = [
  { type: 'error', name: 'AmountExceedsPermitted', inputs: [] },
  { type: 'error', name: 'InvalidDestination', inputs: [] },
  { type: 'error', name: 'InvalidOwner', inputs: [] },
  { type: 'error', name: 'PaymentTooEarly', inputs: [] },
  { type: 'error', name: 'Permit2612AmountMismatch', inputs: [] },
  { type: 'error', name: 'UnauthorizedFacilitator', inputs: [] },
  { type: 'error', name: 'InvalidAmount', inputs: [{ name: 'maxAmount', type: 'uint256' }] },
  { type: 'error', name: 'InvalidNonce', inputs: [] },
  { type: 'error', name: 'InvalidSignature', inputs: [] },
  { type: 'error', name: 'InvalidSigner', inputs: [] },
  { type: 'error', name: 'InvalidSignatureLength', inputs: [] },
  { type: 'error', name: 'InvalidContractSignature', inputs: [] },
  { type: 'error', name: 'SignatureExpired', inputs: [{ name: 'signatureDeadline', type: 'uint256' }] },
] as const

const proxyViews = [
  {
    type: 'function',
    name: 'PERMIT2',
    stateMutability: 'view',
    inputs: [],
    outputs: [{ name: '', type: 'address' }],
  },
] as const

/** The x402 exact Permit2 proxy: `settle(permit, owner, witness, signature)` and `settleWithPermit(permit2612, …)`. */
export const x402ExactPermit2ProxyAbi = [
  ...permit2Errors,
  ...proxyViews,
  {
    type: 'function',
    name: 'settle',
    stateMutability: 'nonpayable',
    inputs: [permitTuple, owner, exactWitnessTuple, signature],
    outputs: [],
  },
  {
    type: 'function',
    name: 'settleWithPermit',
    stateMutability: 'nonpayable',
    inputs: [permit2612Tuple, permitTuple, owner, exactWitnessTuple, signature],
    outputs: [],
  },
] as const

/** The x402 upto Permit2 proxy: `settle(permit, amount, owner, witness, signature)`; only `witness.facilitator` may call it. */
export const x402UptoPermit2ProxyAbi = [
  ...permit2Errors,
  ...proxyViews,
  {
    type: 'function',
    name: 'settle',
    stateMutability: 'nonpayable',
    inputs: [permitTuple, amount, owner, uptoWitnessTuple, signature],
    outputs: [],
  },
  {
    type: 'function',
    name: 'settleWithPermit',
    stateMutability: 'nonpayable',
    inputs: [permit2612Tuple, permitTuple, amount, owner, uptoWitnessTuple, signature],
    outputs: [],
  },
] as const

/** What the Permit2 path reads: Permit2's unordered nonce bitmap, and the token's allowance, nonces and balance. */
export const permit2ReadAbi = [
  {
    type: 'function',
    name: 'nonceBitmap',
    stateMutability: 'view',
    inputs: [
      { name: 'owner', type: 'address' },
      { name: 'wordPos', type: 'uint256' },
    ],
    outputs: [{ name: '', type: 'uint256' }],
  },
  {
    type: 'function',
    name: 'allowance',
    stateMutability: 'view',
    inputs: [
      { name: 'owner', type: 'address' },
      { name: 'spender', type: 'address' },
    ],
    outputs: [{ name: '', type: 'uint256' }],
  },
  {
    type: 'function',
    name: 'nonces',
    stateMutability: 'view',
    inputs: [{ name: 'owner', type: 'address' }],
    outputs: [{ name: '', type: 'uint256' }],
  },
  {
    type: 'function',
    name: 'balanceOf',
    stateMutability: 'view',
    inputs: [{ name: 'account', type: 'address' }],
    outputs: [{ name: '', type: 'uint256' }],
  },
] as const
