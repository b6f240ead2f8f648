import { type Address, type Hex, isAddress, isHex, verifyMessage } from 'viem'
import type { SiwxVerifier } from '../server/siwx-verifier.js'

/** The part of a viem `PublicClient` used: its `verifyMessage` (EOA, EIP-1271, EIP-6492) and its chain. */
export interface SiwxPublicClient {
  verifyMessage(args: { address: Address; message: string; signature: Hex }): Promise<boolean>
  chain?: { id: number } | undefined
}

/** Options of {@link evmSiwxVerifier}. */
export interface EvmSiwxVerifierOptions {
  /**
   * A viem public client, or one per CAIP-2 chain (`{ 'eip155:8453': client }`), to check contract wallets
   * on chain: EIP-1271 `isValidSignature` for deployed ones, EIP-6492 for counterfactual ones. A single
   * client whose `chain` is set only serves that chain. Without one, only EOA signatures are accepted.
   */
  publicClient?: SiwxPublicClient | Record<string, SiwxPublicClient>
}

/**
 * Verifies EIP-4361 sign-ins on `eip155:*` chains: an EOA's EIP-191 signature locally (no RPC), otherwise,
 * with a public client for the chain, a contract wallet's signature through the chain (EIP-1271, EIP-6492).
 * The address must be a valid (EIP-55 checksummed, if mixed case) address.
 * @example siwx({ origin, grant, verifiers: [evmSiwxVerifier({ publicClient })] })
 * @see https://eips.ethereum.org/EIPS/eip-4361
 */
export function evmSiwxVerifier(options: EvmSiwxVerifierOptions = {}): SiwxVerifier {
  const { publicClient } = options
  const clientFor = (chainId: string): SiwxPublicClient | undefined => {
    if (publicClient === undefined) return undefined
    if (typeof (publicClient as SiwxPublicClient).verifyMessage === 'function') {
      const single = publicClient as SiwxPublicClient
      const id = single.chain?.id
      return id === undefined || `eip155:${id}` === chainId ? single : undefined
    }
    return (publicClient as Record<string, SiwxPublicClient>)[chainId]
  }
  return {
    namespace: 'eip155',
    type: 'eip191',
    normalizeAddress: (address) => address.toLowerCase(),
    async verify(payload, message) {
      const { address, signature } = payload
      if (!isAddress(address) || !isHex(signature)) return false
      try {
        if (await verifyMessage({ address, message, signature })) return true
      } catch {
        // Not a 65-byte ECDSA signature: maybe a contract wallet's.
      }
      const client = clientFor(payload.chainId)
      if (!client) return false
      return client.verifyMessage({ address, message, signature })
    },
  }
}
