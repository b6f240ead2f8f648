import { createSolanaRpc, type Rpc, type SolanaRpcApi } from '@solana/kit'
import type { DevnetDescription, DevnetSvmMint } from './devnet-description.js'

/**
 * A Kit RPC client for the devnet's Solana chain (`createSolanaRpc(devnet.svm.rpcUrl)`): HTTP only, so
 * confirm transactions by polling `getSignatureStatuses` rather than with subscriptions.
 *
 * @example
 * const { value } = await createSvmRpc(devnet).getLatestBlockhash().send()
 */
export function createSvmRpc(devnet: Pick<DevnetDescription, 'svm'>): Rpc<SolanaRpcApi> {
  return createSolanaRpc(devnet.svm.rpcUrl)
}

/** One of the devnet's mints, given as a description, an address or nothing (USDC under SPL Token). */
export async function resolveSvmMint(
  devnet: Pick<DevnetDescription, 'svm'>,
  mint: DevnetSvmMint | string | undefined,
): Promise<{ address: string; tokenProgram: string; decimals: number }> {
  if (mint === undefined) return devnet.svm.mint
  if (typeof mint !== 'string') return mint
  const known = [devnet.svm.mint, devnet.svm.mint2022].find((candidate) => candidate.address === mint)
  if (known !== undefined) return known
  const { value } = await createSvmRpc(devnet)
    .getAccountInfo(mint as Parameters<Rpc<SolanaRpcApi>['getAccountInfo']>[0], { encoding: 'base64' })
    .send()
  if (value === null) throw new Error(`no mint at ${mint}`)
  const data = Buffer.from(value.data[0], 'base64')
  return { address: mint, tokenProgram: value.owner, decimals: data[44] ?? 0 }
}
