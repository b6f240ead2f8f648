import type { DevnetSvmAccount } from '@open402/devnet'
import { x402Client } from '@x402/core/client'
import { wrapFetchWithPayment } from '@x402/fetch'
import { ExactSvmScheme } from '@x402/svm/exact/client'
import type { PaidFetch } from '../paid-fetch.js'
import { type SvmDevnet, svmSigner } from '../svm-devnet.js'

/**
 * The official `x402Client` with the official SVM exact client scheme, reading the chain (mint, blockhash)
 * from the devnet's RPC. Devnet USDC is in the official default table, so no spend controls are needed.
 */
export async function createOfficialSvmClient(
  devnet: SvmDevnet,
  payer: DevnetSvmAccount,
): Promise<x402Client> {
  const { network, rpcUrl } = devnet.svm
  return new x402Client().register(network, new ExactSvmScheme(await svmSigner(payer), { rpcUrl }))
}

/** Node's fetch wrapped by the official `@x402/fetch` so it pays 402s on Solana from `payer`. */
export async function createOfficialSvmPaidFetch(
  devnet: SvmDevnet,
  payer: DevnetSvmAccount,
): Promise<PaidFetch> {
  return wrapFetchWithPayment(fetch, await createOfficialSvmClient(devnet, payer))
}
