import { createPaymentClient, type PaymentClient } from '@open402/core'
import type { DevnetSvmAccount } from '@open402/devnet'
import { wrapFetch } from '@open402/fetch'
import { exactSvmClient } from '@open402/svm/client'
import type { PaidFetch } from '../paid-fetch.js'
import { type SvmDevnet, svmSigner } from '../svm-devnet.js'

/** An open402 payment client paying from `payer` with the exact SVM scheme, on the devnet's RPC. */
export async function createOpen402SvmClient(
  devnet: SvmDevnet,
  payer: DevnetSvmAccount,
): Promise<PaymentClient> {
  const { network, rpcUrl } = devnet.svm
  return createPaymentClient({
    schemes: [exactSvmClient({ signer: await svmSigner(payer), rpc: { [network]: rpcUrl } })],
  })
}

/** Node's fetch wrapped by `@open402/fetch` so it pays 402s on Solana from `payer`. */
export async function createOpen402SvmPaidFetch(
  devnet: SvmDevnet,
  payer: DevnetSvmAccount,
): Promise<PaidFetch> {
  return wrapFetch(fetch, await createOpen402SvmClient(devnet, payer))
}
