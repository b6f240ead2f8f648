import { type PayloadContext, X402Error } from '@open402/core'
import {
  type Address,
  createPublicClient,
  http,
  type LocalAccount,
  type PublicClient,
  type WalletClient,
} from 'viem'
import { EIP2612_GAS_SPONSORING } from './permit2.js'
import type { AnyTypedDataSigner } from './sign-permit2.js'

/** Who pays: a viem `LocalAccount` (e.g. `privateKeyToAccount`), or a `WalletClient` that has an account. */
export type EvmPayer = { account: LocalAccount } | { signer: WalletClient }

/**
 * RPC endpoints by CAIP-2 network (a URL or a viem `PublicClient`), read by a client only for Permit2
 * payments whose resource server declared `eip2612GasSponsoring`: the payer's allowance for Permit2 and
 * the token's EIP-2612 nonce.
 */
export type EvmClientRpc = Record<string, string | PublicClient>

/** The payer's address and a function that signs EIP-712 typed data as the payer. */
export function resolvePayer(
  options: EvmPayer,
  part: string,
): { address: Address; sign: AnyTypedDataSigner } {
  if ('account' in options && options.account) {
    const account = options.account
    if (typeof account.signTypedData !== 'function') {
      throw new X402Error(
        'invalid_config',
        `${part}: account must be a viem LocalAccount that can sign typed data`,
      )
    }
    return {
      address: account.address,
      sign: (typedData) => account.signTypedData(typedData as Parameters<LocalAccount['signTypedData']>[0]),
    }
  }
  if ('signer' in options && options.signer) {
    const signer = options.signer
    const account = signer.account
    if (!account) {
      throw new X402Error(
        'invalid_config',
        `${part}: the WalletClient has no account; create it with { account }`,
      )
    }
    return {
      address: account.address,
      sign: (typedData) =>
        signer.signTypedData({
          ...(typedData as Parameters<LocalAccount['signTypedData']>[0]),
          account,
        }),
    }
  }
  throw new X402Error(
    'invalid_config',
    `${part} needs { account } (a viem LocalAccount) or { signer } (a WalletClient)`,
  )
}

/** A memoised `PublicClient` for `network` from the client's `rpc` option, if it has one. */
export function rpcClients(rpc: EvmClientRpc | undefined): (network: string) => PublicClient | undefined {
  const clients = new Map<string, PublicClient>()
  return (network) => {
    const configured = rpc?.[network]
    if (configured === undefined) return undefined
    if (typeof configured !== 'string') return configured
    let client = clients.get(network)
    if (!client) {
      client = createPublicClient({ transport: http(configured) })
      clients.set(network, client)
    }
    return client
  }
}

/**
 * Puts this payment's `eip2612GasSponsoring` (the declaration plus the payer's permit) into the extensions
 * the payment echoes, when the 402 declared it. Core's payment client gives each payment its own copy of the
 * extensions (`PayloadContext.extensions`), so the permit never reaches the 402 or another payment.
 */
export function setEip2612Extension(
  context: PayloadContext,
  extension: Record<string, unknown> | undefined,
): void {
  const extensions = context.extensions
  if (!extensions || !(EIP2612_GAS_SPONSORING in extensions) || extension === undefined) return
  extensions[EIP2612_GAS_SPONSORING] = extension
}

/** The extensions of the 402 a payment answers, as declared (read before a permit is added). */
export function declaredExtensions(context: PayloadContext): Record<string, unknown> | undefined {
  return context.extensions
}
