import type { PaymentPayload, PaymentRequirements } from '@open402/core'
import { type DevnetAccount, type DevnetDescription, usdcLikeTokenAbi } from '@open402/devnet'
import { createPublicClient, http } from 'viem'
import type { LocalAccount } from 'viem/accounts'
import { PERMIT2_ADDRESS } from '../src/shared/permit2.js'
import {
  type Permit2Options,
  signEip2612Permit,
  signPermit2Authorization,
} from '../src/shared/sign-permit2.js'

/** A running devnet's EVM side. */
export type EvmDevnet = Pick<DevnetDescription, 'evm'>

/** The devnet's `others[index]` account (throws if the devnet has fewer). */
export function otherEvmAccount(devnet: EvmDevnet, index: number): DevnetAccount {
  const account = devnet.evm.accounts.others[index]
  if (!account) throw new Error(`the devnet has no others[${index}] account`)
  return account
}

/** Requirements for 0.01 devnet USDC to the merchant, paid through Permit2 (exact, or upto naming `facilitator`). */
export function permit2Requirements(
  devnet: EvmDevnet,
  overrides: Partial<PaymentRequirements> = {},
  facilitator?: `0x${string}`,
): PaymentRequirements {
  const { token, network, accounts } = devnet.evm
  return {
    scheme: facilitator === undefined ? 'exact' : 'upto',
    network,
    amount: '10000',
    asset: token.address,
    payTo: accounts.merchant.address,
    maxTimeoutSeconds: 300,
    extra: {
      name: token.name,
      version: token.version,
      assetTransferMethod: 'permit2',
      ...(facilitator === undefined ? {} : { facilitatorAddress: facilitator }),
    },
    ...overrides,
  }
}

/**
 * A Permit2 payment signed by `signer` for `signed` requirements (default: `requirements`), claiming to
 * come from `from`, wrapped in a PaymentPayload that accepts `requirements` (plus `accepted` overrides).
 */
export async function signedPermit2Payment(
  signer: LocalAccount,
  requirements: PaymentRequirements,
  options: Permit2Options & {
    signed?: PaymentRequirements
    from?: `0x${string}`
    accepted?: Partial<PaymentRequirements>
    facilitator?: `0x${string}`
    extensions?: Record<string, unknown>
  } = {},
): Promise<PaymentPayload> {
  const { signed = requirements, from = signer.address, accepted = {}, extensions, ...rest } = options
  const facilitator =
    rest.facilitator ?? (signed.extra?.facilitatorAddress as `0x${string}` | undefined) ?? undefined
  const payload = await signPermit2Authorization(
    (typed) => signer.signTypedData(typed as Parameters<LocalAccount['signTypedData']>[0]),
    from,
    signed,
    { ...rest, ...(facilitator === undefined ? {} : { facilitator }) },
  )
  return {
    x402Version: 2,
    resource: { url: 'https://example.com/paid' },
    accepted: { ...requirements, ...accepted },
    payload: { ...payload },
    ...(extensions === undefined ? {} : { extensions }),
  }
}

/** The `eip2612GasSponsoring` extension with `signer`'s EIP-2612 permit for Permit2 (fields overridable). */
export async function eip2612Extension(
  devnet: EvmDevnet,
  signer: LocalAccount,
  value: bigint,
  overrides: Record<string, string> = {},
): Promise<Record<string, unknown>> {
  const chain = createPublicClient({ transport: http(devnet.evm.rpcUrl) })
  const { token, network } = devnet.evm
  const nonce = await chain.readContract({
    address: token.address,
    abi: usdcLikeTokenAbi,
    functionName: 'nonces',
    args: [signer.address],
  })
  const info = await signEip2612Permit(
    (typed) => signer.signTypedData(typed as Parameters<LocalAccount['signTypedData']>[0]),
    signer.address,
    {
      network,
      token: token.address,
      name: token.name,
      version: token.version,
      value,
      nonce,
      deadline: BigInt(Math.floor(Date.now() / 1000) + 300),
    },
  )
  return { eip2612GasSponsoring: { info: { ...info, ...overrides } } }
}

/** The payer's token allowance for Permit2. */
export function permit2Allowance(devnet: EvmDevnet, owner: `0x${string}`): Promise<bigint> {
  return createPublicClient({ transport: http(devnet.evm.rpcUrl) }).readContract({
    address: devnet.evm.token.address,
    abi: usdcLikeTokenAbi,
    functionName: 'allowance',
    args: [owner, PERMIT2_ADDRESS],
  })
}
