import type { DevnetAccount, DevnetDescription } from '@open402/devnet'
import { x402Client } from '@x402/core/client'
import { ExactEvmScheme } from '@x402/evm/exact/client'
import { wrapFetchWithPayment } from '@x402/fetch'
import { privateKeyToAccount } from 'viem/accounts'
import type { PaidFetch } from '../paid-fetch.js'

/**
 * The official `x402Client` with the official EVM exact client scheme for the devnet, allowed to spend the
 * devnet token (the 2.27 client refuses assets outside its default table unless they are listed).
 */
export function createOfficialClient(devnet: DevnetDescription, payer: DevnetAccount): x402Client {
  const { network, token } = devnet.evm
  return new x402Client()
    .register(network, new ExactEvmScheme(privateKeyToAccount(payer.privateKey)))
    .setSpendControls({ allowedAssets: [{ network, asset: token.address }] })
}

/** Node's fetch wrapped by the official `@x402/fetch` so it pays 402s from `payer`. */
export function createOfficialPaidFetch(devnet: DevnetDescription, payer: DevnetAccount): PaidFetch {
  return wrapFetchWithPayment(fetch, createOfficialClient(devnet, payer))
}
