// Wiring shared by the Permit2 interop tests: the official facilitator with its exact and upto EVM schemes,
// the official client with both, and the offers an open402 resource server builds.
import {
  createResourceServer,
  type FacilitatorClient,
  type PaymentRequired,
  type PaymentRequirements,
} from '@open402/core'
import { type Devnet, devnetChain } from '@open402/devnet'
import { exactEvmServer, uptoEvmServer } from '@open402/evm/server'
import { x402Client } from '@x402/core/client'
import { x402Facilitator } from '@x402/core/facilitator'
import { toFacilitatorEvmSigner } from '@x402/evm'
import { ExactEvmScheme as OfficialExactClient } from '@x402/evm/exact/client'
import { ExactEvmScheme as OfficialExactFacilitator } from '@x402/evm/exact/facilitator'
import { UptoEvmScheme as OfficialUptoClient } from '@x402/evm/upto/client'
import { UptoEvmScheme as OfficialUptoFacilitator } from '@x402/evm/upto/facilitator'
import { createWalletClient, http, publicActions } from 'viem'
import { nonceManager, privateKeyToAccount } from 'viem/accounts'

export const PERMIT2_PROXY = {
  exact: '0x402085c248EeA27D92E8b30b2C58ed07f9E20001',
  upto: '0x4020A4f3b7b90ccA423B9fabCc0CE57C6C240002',
} as const

/** The official facilitator with its exact (EIP-3009 and Permit2) and upto schemes, signing with `privateKey`. */
export function officialFacilitator(devnet: Devnet<'evm'>, privateKey: `0x${string}`): x402Facilitator {
  const account = privateKeyToAccount(privateKey, { nonceManager })
  const wallet = createWalletClient({
    account,
    chain: devnetChain(devnet),
    transport: http(devnet.evm.rpcUrl),
  }).extend(publicActions)
  // The official signer type is structural; viem's stricter generics need a cast at this seam only.
  const signer = toFacilitatorEvmSigner({
    address: account.address,
    getCode: (args) => wallet.getCode(args),
    readContract: (args) => wallet.readContract({ ...args, args: args.args ?? [] } as never),
    verifyTypedData: (args) => wallet.verifyTypedData(args as never),
    writeContract: (args) => wallet.writeContract({ ...args, args: args.args ?? [] } as never),
    sendTransaction: (args) => wallet.sendTransaction(args),
    waitForTransactionReceipt: (args) => wallet.waitForTransactionReceipt(args),
  })
  return new x402Facilitator()
    .register(devnet.evm.network, new OfficialExactFacilitator(signer))
    .register(devnet.evm.network, new OfficialUptoFacilitator(signer))
}

/** The 402 a resource server (ours) builds over `facilitator` for a scheme paid through Permit2. */
export async function offer(
  devnet: Devnet<'evm'>,
  facilitator: FacilitatorClient,
  scheme: 'exact' | 'upto',
  price: string,
  extensions?: Record<string, unknown>,
) {
  const { network, token, accounts } = devnet.evm
  const assets = { [network]: { ...token, assetTransferMethod: 'permit2' as const } }
  const server = createResourceServer({
    facilitator,
    schemes: [scheme === 'exact' ? exactEvmServer({ assets }) : uptoEvmServer({ assets })],
  })
  const accepts = await server.buildRequirements(
    { accepts: { scheme, network, price, payTo: accounts.merchant.address } },
    new Request('http://localhost/paid'),
  )
  const required: PaymentRequired = {
    x402Version: 2,
    resource: { url: 'http://localhost/paid' },
    accepts,
    ...(extensions === undefined ? {} : { extensions }),
  }
  return { required, requirements: accepts[0] as PaymentRequirements }
}

/**
 * The official x402Client with its exact and upto EVM client schemes for `payer`; with `rpcUrl` they can
 * read the allowance and sign EIP-2612 permits for the `eip2612GasSponsoring` extension.
 */
export function officialClient(
  devnet: Devnet<'evm'>,
  payer: { privateKey: `0x${string}` },
  rpcUrl?: string,
): x402Client {
  const { network, token } = devnet.evm
  const account = privateKeyToAccount(payer.privateKey)
  const options = rpcUrl === undefined ? undefined : { rpcUrl }
  return new x402Client()
    .register(network, new OfficialExactClient(account, options))
    .register(network, new OfficialUptoClient(account, options))
    .setSpendControls({ allowedAssets: [{ network, asset: token.address }] })
}
