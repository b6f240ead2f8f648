import { createFacilitator, type FacilitatorClient } from '@open402/core'
import type { DevnetSvmAccount } from '@open402/devnet'
import { startFacilitatorServer } from '@open402/facilitator'
import { exactSvmFacilitator } from '@open402/svm/facilitator'
import type { RunningServer } from '../serve.js'
import { type SvmDevnet, svmSigner } from '../svm-devnet.js'

/** An open402 facilitator with the exact SVM scheme on the devnet, co-signing as fee payer `feePayer` (status polled every 50 ms). */
export async function createOpen402SvmFacilitator(
  devnet: SvmDevnet,
  feePayer: DevnetSvmAccount,
): Promise<FacilitatorClient> {
  const { network, rpcUrl } = devnet.svm
  return createFacilitator({
    schemes: [
      exactSvmFacilitator({
        signers: [await svmSigner(feePayer)],
        networks: { [network]: { rpcUrl } },
        pollIntervalMs: 50,
      }),
    ],
  })
}

/** Serves the open402 Solana facilitator over HTTP with `@open402/facilitator` on 127.0.0.1. */
export async function startOpen402SvmFacilitatorServer(
  devnet: SvmDevnet,
  feePayer: DevnetSvmAccount,
): Promise<RunningServer> {
  return startFacilitatorServer({ facilitator: await createOpen402SvmFacilitator(devnet, feePayer) })
}
