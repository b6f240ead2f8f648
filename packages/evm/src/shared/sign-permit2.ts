import { evmChainId, type PaymentRequirements, X402Error } from '@open402/core'
import { type Address, bytesToBigInt, getAddress, type Hex, isAddress, type PublicClient } from 'viem'
import {
  EIP2612_GAS_SPONSORING,
  EIP2612_PERMIT_TYPES,
  EXACT_PERMIT2_WITNESS_TYPES,
  PERMIT2_ADDRESS,
  permit2Domain,
  permit2ReadAbi,
  UPTO_PERMIT2_WITNESS_TYPES,
  X402_EXACT_PERMIT2_PROXY_ADDRESS,
  X402_UPTO_PERMIT2_PROXY_ADDRESS,
} from './permit2.js'
import {
  type Eip2612GasSponsoringInfo,
  type Permit2Authorization,
  type Permit2EvmPayload,
  serializePermit2Authorization,
} from './permit2-payload.js'

/** Signs any EIP-712 typed data for the payer (a viem `LocalAccount` or a `WalletClient` with an account). */
export type AnyTypedDataSigner = (typedData: {
  domain?: Record<string, unknown>
  types: Record<string, readonly { name: string; type: string }[]>
  primaryType: string
  message: Record<string, unknown>
}) => Promise<Hex>

/** Times and nonce of a Permit2 authorization; tests pin them, production uses the defaults. */
export interface Permit2Options {
  /** Seconds since the epoch; defaults to the clock. */
  now?: number
  /** How far before `now` the payment becomes valid (`witness.validAfter`); default 600. */
  validAfterSkewSeconds?: number
  /** A 256-bit Permit2 nonce; defaults to a random one (Permit2 nonces are unordered). */
  nonce?: bigint
}

function checkAddresses(requirements: PaymentRequirements): void {
  if (
    !isAddress(requirements.asset, { strict: false }) ||
    !isAddress(requirements.payTo, { strict: false })
  ) {
    throw new X402Error(
      'invalid_config',
      `requirements for ${requirements.network} need an asset and payTo that are EVM addresses, got asset ${requirements.asset} and payTo ${requirements.payTo}`,
    )
  }
}

/**
 * Builds and signs the Permit2 `PermitWitnessTransferFrom` of a payment: `requirements.amount` of
 * `requirements.asset` for the x402 exact proxy (witness `{to, validAfter}`) or, with `facilitator`, the upto
 * proxy (witness `{to, facilitator, validAfter}`); `deadline = now + maxTimeoutSeconds`, a random nonce.
 */
export async function signPermit2Authorization(
  sign: AnyTypedDataSigner,
  from: Address,
  requirements: PaymentRequirements,
  options: Permit2Options & { facilitator?: Address } = {},
): Promise<Permit2EvmPayload> {
  checkAddresses(requirements)
  const now = options.now ?? Math.floor(Date.now() / 1000)
  const upto = options.facilitator !== undefined
  const authorization: Permit2Authorization = {
    from,
    permitted: { token: getAddress(requirements.asset), amount: BigInt(requirements.amount) },
    spender: upto ? X402_UPTO_PERMIT2_PROXY_ADDRESS : X402_EXACT_PERMIT2_PROXY_ADDRESS,
    nonce: options.nonce ?? bytesToBigInt(crypto.getRandomValues(new Uint8Array(32))),
    deadline: BigInt(now + requirements.maxTimeoutSeconds),
    witness: {
      to: getAddress(requirements.payTo),
      validAfter: BigInt(Math.max(0, now - (options.validAfterSkewSeconds ?? 600))),
    },
  }
  if (options.facilitator !== undefined) authorization.witness.facilitator = getAddress(options.facilitator)
  const { witness, ...rest } = authorization
  const signature = await sign({
    domain: permit2Domain(evmChainId(requirements.network)),
    types: upto ? UPTO_PERMIT2_WITNESS_TYPES : EXACT_PERMIT2_WITNESS_TYPES,
    primaryType: 'PermitWitnessTransferFrom',
    message: {
      permitted: rest.permitted,
      spender: rest.spender,
      nonce: rest.nonce,
      deadline: rest.deadline,
      witness: upto
        ? { to: witness.to, facilitator: witness.facilitator, validAfter: witness.validAfter }
        : { to: witness.to, validAfter: witness.validAfter },
    },
  })
  return { signature, permit2Authorization: serializePermit2Authorization(authorization) }
}

/**
 * Signs an EIP-2612 `Permit` giving Permit2 an allowance of `value` on `token` (the token's EIP-712 domain
 * `{name, version, chainId, verifyingContract: token}`), in the `eip2612GasSponsoring` info format.
 */
export async function signEip2612Permit(
  sign: AnyTypedDataSigner,
  owner: Address,
  permit: {
    network: string
    token: Address
    name: string
    version: string
    value: bigint
    nonce: bigint
    deadline: bigint
  },
): Promise<Eip2612GasSponsoringInfo> {
  const token = getAddress(permit.token)
  const signature = await sign({
    domain: {
      name: permit.name,
      version: permit.version,
      chainId: evmChainId(permit.network),
      verifyingContract: token,
    },
    types: EIP2612_PERMIT_TYPES,
    primaryType: 'Permit',
    message: {
      owner,
      spender: PERMIT2_ADDRESS,
      value: permit.value,
      nonce: permit.nonce,
      deadline: permit.deadline,
    },
  })
  return {
    from: owner,
    asset: token,
    spender: PERMIT2_ADDRESS,
    amount: permit.value.toString(),
    nonce: permit.nonce.toString(),
    deadline: permit.deadline.toString(),
    signature,
    version: '1',
  }
}

/**
 * The `eip2612GasSponsoring` part of a Permit2 payment, when the resource server declared the extension
 * and the payer's allowance for Permit2 is below the amount: an EIP-2612 permit for exactly the permitted
 * amount (what the proxies' `settleWithPermit` requires), expiring with the Permit2 authorization. Two
 * `eth_call`s (allowance, then the token's `nonces`). `undefined` when the permit is not needed or cannot be
 * made (no RPC client, no EIP-712 domain in `extra`, the token answers no `nonces`, the RPC fails).
 */
export async function eip2612ExtensionFor(
  sign: AnyTypedDataSigner,
  owner: Address,
  requirements: PaymentRequirements,
  payload: Permit2EvmPayload,
  declared: Record<string, unknown> | undefined,
  client: PublicClient | undefined,
): Promise<Record<string, unknown> | undefined> {
  const declaration = declared?.[EIP2612_GAS_SPONSORING]
  if (typeof declaration !== 'object' || declaration === null || client === undefined) return undefined
  const name = requirements.extra?.name
  const version = requirements.extra?.version
  if (typeof name !== 'string' || typeof version !== 'string') return undefined
  const token = getAddress(requirements.asset)
  const value = BigInt(payload.permit2Authorization.permitted.amount)
  let nonce: bigint
  try {
    const allowance = await client.readContract({
      address: token,
      abi: permit2ReadAbi,
      functionName: 'allowance',
      args: [owner, PERMIT2_ADDRESS],
    })
    if (allowance >= value) return undefined
    nonce = await client.readContract({
      address: token,
      abi: permit2ReadAbi,
      functionName: 'nonces',
      args: [owner],
    })
  } catch {
    // No answer (or no EIP-2612 on the token): pay without a permit; a missing allowance is then
    // diagnosed by the facilitator as permit2_allowance_required.
    return undefined
  }
  const info = await signEip2612Permit(sign, owner, {
    network: requirements.network,
    token,
    name,
    version,
    value,
    nonce,
    deadline: BigInt(payload.permit2Authorization.deadline),
  })
  const { info: declaredInfo, ...rest } = declaration as { info?: unknown }
  return {
    ...rest,
    info: {
      ...(typeof declaredInfo === 'object' && declaredInfo !== null ? declaredInfo : {}),
      ...info,
    },
  }
}
