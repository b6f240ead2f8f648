import { createFacilitator, type FacilitatorClient } from '@open402/core'
import type { DevnetDescription } from '@open402/devnet'
import { exactEvmFacilitator } from '@open402/evm/facilitator'
import { privateKeyToAccount } from 'viem/accounts'

/** An open402 facilitator with the exact EVM scheme on the devnet, settling with `privateKey`. */
export function createOpen402Facilitator(
  devnet: DevnetDescription,
  privateKey: `0x${string}`,
): FacilitatorClient {
  return createFacilitator({
    schemes: [
      exactEvmFacilitator({
        signer: privateKeyToAccount(privateKey),
        networks: { [devnet.evm.network]: { rpcUrl: devnet.evm.rpcUrl } },
      }),
    ],
  })
}
