// The payment side shared by the MCP tests: our facilitator (EVM and Solana exact schemes) served over real
// HTTP by @open402/facilitator on 127.0.0.1, a resource server talking to it, and paying clients.
import {
  createFacilitator,
  createHttpFacilitatorClient,
  createPaymentClient,
  createResourceServer,
  type PaymentPolicy,
  type ResourceServer,
  type ResourceServerHooks,
} from '@open402/core'
import type { DevnetAccount, DevnetDescription, DevnetSvmAccount } from '@open402/devnet'
import { exactEvmClient } from '@open402/evm/client'
import { exactEvmFacilitator } from '@open402/evm/facilitator'
import { exactEvmServer } from '@open402/evm/server'
import { startFacilitatorServer } from '@open402/facilitator'
import { exactSvmClient } from '@open402/svm/client'
import { exactSvmFacilitator } from '@open402/svm/facilitator'
import { exactSvmServer } from '@open402/svm/server'
import { createKeyPairSignerFromBytes, getBase58Encoder } from '@solana/kit'
import { privateKeyToAccount } from 'viem/accounts'

export const keyPairOf = (account: { secretKey: string }) =>
  createKeyPairSignerFromBytes(getBase58Encoder().encode(account.secretKey))

/** Starts our facilitator for the devnet's chains over HTTP; resolves its URL and a way to stop it. */
export async function startDevnetFacilitator(
  devnet: DevnetDescription,
): Promise<{ url: string; close(): Promise<void> }> {
  const { evm, svm } = devnet
  const facilitator = createFacilitator({
    schemes: [
      exactEvmFacilitator({
        signer: privateKeyToAccount(evm.accounts.facilitator.privateKey),
        networks: { [evm.network]: evm.rpcUrl },
      }),
      exactSvmFacilitator({
        signers: [await keyPairOf(svm.accounts.facilitator)],
        networks: { [svm.network]: { rpcUrl: svm.rpcUrl } },
        pollIntervalMs: 50,
      }),
    ],
  })
  return startFacilitatorServer({ facilitator })
}

/** A resource server that verifies and settles through the facilitator at `facilitatorUrl`. */
export function devnetResourceServer(
  devnet: DevnetDescription,
  facilitatorUrl: string,
  hooks?: ResourceServerHooks,
): ResourceServer {
  return createResourceServer({
    facilitator: createHttpFacilitatorClient({ url: facilitatorUrl }),
    schemes: [exactEvmServer({ assets: { [devnet.evm.network]: devnet.evm.token } }), exactSvmServer()],
    ...(hooks === undefined ? {} : { hooks }),
  })
}

/** A payment client paying from `evmPayer` (and `svmPayer` on Solana) with `policies`. */
export async function devnetPaymentClient(
  devnet: DevnetDescription,
  payers: { evm: DevnetAccount; svm?: DevnetSvmAccount },
  options: { policies?: PaymentPolicy[]; confirm?: () => boolean } = {},
) {
  const schemes = [
    exactEvmClient({
      account: privateKeyToAccount(payers.evm.privateKey),
      assets: { [devnet.evm.network]: devnet.evm.token },
    }),
  ]
  if (payers.svm) {
    schemes.push(
      exactSvmClient({
        signer: await keyPairOf(payers.svm),
        rpc: { [devnet.svm.network]: devnet.svm.rpcUrl },
      }),
    )
  }
  return createPaymentClient({
    schemes,
    ...(options.policies === undefined ? {} : { policies: options.policies }),
    ...(options.confirm === undefined ? {} : { confirm: options.confirm }),
  })
}
