import type { DevnetSvmAccount } from '@open402/devnet'
import { createSolanaRpc, devnet as devnetCluster } from '@solana/kit'
import { x402Facilitator } from '@x402/core/facilitator'
import { toFacilitatorSvmSigner } from '@x402/svm'
import { registerExactSvmScheme } from '@x402/svm/exact/facilitator'
import { type SvmDevnet, svmSigner } from '../svm-devnet.js'

/**
 * The official `x402Facilitator` with the official SVM exact scheme on the devnet, co-signing as `feePayer`.
 * The signer gets a map of RPCs by network (a bare Kit `Rpc` is misread by `toFacilitatorSvmSigner` 2.27),
 * the URL branded as a devnet cluster URL, as its RPC type asks.
 */
export async function createOfficialSvmFacilitator(
  devnet: SvmDevnet,
  feePayer: DevnetSvmAccount,
): Promise<x402Facilitator> {
  const { network, rpcUrl } = devnet.svm
  const signer = toFacilitatorSvmSigner(await svmSigner(feePayer), {
    [network]: createSolanaRpc(devnetCluster(rpcUrl)),
  })
  return registerExactSvmScheme(new x402Facilitator(), { signer, networks: network })
}
