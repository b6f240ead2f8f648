import type { EvmStandIn } from './constants.js'
import type { Devnet, DevnetChainKind, DevnetDescription } from './devnet-description.js'
import { startEvmChain } from './start-evm-chain.js'
import { startSvmChain } from './start-svm-chain.js'

export interface StartDevnetOptions<C extends readonly DevnetChainKind[] = readonly DevnetChainKind[]> {
  /** The chains to run; both (`['evm', 'svm']`) by default. */
  chains?: C
  /** TCP port for the EVM JSON-RPC node; 0 (the default) picks a free one. */
  port?: number
  /** TCP port for the Solana JSON-RPC node; 0 (the default) picks a free one. */
  svmPort?: number
  /** Interface both nodes bind; defaults to loopback (127.0.0.1). */
  host?: string
  /**
   * How long a Solana slot lasts, in milliseconds (default 1000). A blockhash stays valid for 150 slots,
   * so this sets how long a signed transaction can wait before it expires.
   */
  svmSlotMs?: number
  /**
   * Runs the EVM chain as a stand-in for a public testnet: `'base-sepolia'` gives it chain id 84532 and puts
   * the token, with Base Sepolia USDC's EIP-712 domain (`USDC`, version `2`), at Base Sepolia's USDC address
   * `0x036CbD53842c5426634e7929541eC2318f3dCF7e`. Then x402 V1 servers (`network: 'base-sepolia'`) and
   * clients with built-in asset tables work on the devnet unchanged. Signatures made for the stand-in are
   * valid on the real network too: sign only with the devnet's keys.
   */
  standIn?: EvmStandIn
  /**
   * Whether the payer and every `others` account start with an unlimited token allowance for Permit2
   * (default true), so Permit2 payments work at once. `false` starts them without one, as on a public chain
   * before the payer's one-time approval: for tests of `permit2_allowance_required` and `settleWithPermit`.
   */
  permit2Approval?: boolean
}

const ALL_CHAINS = ['evm', 'svm'] as const

/**
 * Starts a local EVM chain (chain id 31337, Hardhat EDR, automine, a USD-coin-like EIP-3009 token,
 * Multicall3, Permit2 and the x402 exact and upto Permit2 proxies) and a local Solana chain (litesvm behind JSON-RPC, presenting itself as Solana devnet, with
 * USDC at the devnet USDC address and a Token-2022 USDC), each in a child process with funded accounts.
 *
 * @example
 * const devnet = await startDevnet()
 * console.log(devnet.describe().evm.rpcUrl, devnet.describe().svm.rpcUrl)
 * await devnet.stop()
 */
export async function startDevnet<const C extends readonly DevnetChainKind[] = typeof ALL_CHAINS>(
  options: StartDevnetOptions<C> = {},
): Promise<Devnet<C[number]>> {
  const chains: readonly DevnetChainKind[] = options.chains ?? ALL_CHAINS
  if (chains.length === 0) throw new Error('startDevnet: chains must name at least one chain')
  const host = options.host ?? '127.0.0.1'
  const starts = {
    evm: chains.includes('evm')
      ? startEvmChain({
          host,
          port: options.port ?? 0,
          standIn: options.standIn,
          permit2Approval: options.permit2Approval,
        })
      : undefined,
    svm: chains.includes('svm')
      ? startSvmChain({ host, port: options.svmPort ?? 0, slotMs: options.svmSlotMs })
      : undefined,
  }
  const [evm, svm] = await Promise.allSettled([starts.evm, starts.svm])
  const nodes = [evm, svm].flatMap((result) =>
    result.status === 'fulfilled' && result.value !== undefined ? [result.value.node] : [],
  )
  const stopAll = async () => {
    await Promise.all(nodes.map((node) => node.stop()))
  }
  const failure = [evm, svm].find((result) => result.status === 'rejected')
  if (failure !== undefined) {
    await stopAll()
    throw failure.reason
  }
  const description: Partial<DevnetDescription> = {}
  if (evm.status === 'fulfilled' && evm.value !== undefined) description.evm = evm.value.description
  if (svm.status === 'fulfilled' && svm.value !== undefined) description.svm = svm.value.description
  const frozen = description as Pick<DevnetDescription, C[number]>
  return {
    ...structuredClone(frozen),
    describe: () => structuredClone(frozen),
    stop: stopAll,
  } as Devnet<C[number]>
}
